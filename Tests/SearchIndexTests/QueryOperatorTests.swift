import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing
import TextAnalysis

/// The operators people type from Lucene, Xapian's QueryParser and search
/// boxes: AND, NOT, `+`/`-`, `&&`/`||`, and a trailing `*` for a prefix.
@Suite struct QueryOperatorTests {
    /// Each query answers exactly as its spelling in anli's own syntax.
    @Test(arguments: [
        ("产教融合 NOT 学徒", "产教融合 -学徒"),
        ("产教 AND 融合", "产教 融合"),
        ("产教融合 && 实训", "产教融合 实训"),
        ("+产教融合 +实训", "产教融合 实训"),
        ("AI || VR", "AI OR VR"),
        ("产教融合 AND NOT 学徒", "产教融合 -学徒"),
        ("(AI OR VR) AND 教学", "(AI OR VR) 教学"),
        ("NOT 学校 kind:table", "-学校 kind:table"),
        ("产教*", "产教"),
    ])
    func spelledOut(query: String, same: String) throws {
        let index = try TestIndex()
        let ids = try index.allIDs(SearchRequest(query: query))
        #expect(!ids.isEmpty, "\(query) finds something")
        #expect(ids == (try index.allIDs(SearchRequest(query: same))), "\(query) = \(same)")
    }

    @Test func lowerCaseOperatorsAreWords() throws {
        #expect(try QuerySyntax.parse("产教 and 融合") == .and([.text("产教"), .text("and"), .text("融合")]))
        #expect(try QuerySyntax.parse("a or b not c") == .and([.text("a"), .text("or"), .text("b"), .text("not"), .text("c")]))
        #expect(try QuerySyntax.parse("1+x sk-2") == .and([.text("1+x"), .text("sk-2")]), "+ and - inside a word stay")
        #expect(try QuerySyntax.parse("digit*") == .prefix("digit"))
    }

    /// `a*` finds every unit with a Latin word that starts with "a" (AI,
    /// AIGC, app …), counted by brute force over the parsed units.
    @Test func aTrailingStarIsAPrefixSearch() throws {
        let index = try TestIndex()
        let analyzer = try Analyzer()
        var expected = Set<String>()
        var exactlyA = Set<String>()
        for unit in index.units {
            let words = analyzer.tokenize(try index.normalizedText(unit)).filter { $0.kind == .word }.map(\.text)
            if words.contains(where: { $0.hasPrefix("a") }) { expected.insert(unit.id) }
            if words.contains("a") { exactlyA.insert(unit.id) }
        }
        #expect(expected.count > exactlyA.count, "the seed has longer words that start with a")
        let ids = try index.allIDs(SearchRequest(query: "a*"))
        #expect(Set(ids) == expected)
        #expect(ids.count == Set(ids).count)
        var request = SearchRequest(query: "A*")
        request.limit = 100
        let results = try index.searcher.search(request)
        #expect(results.total == expected.count, "folded like every word")
        // Whole words are marked, each starting with the prefix (a hit
        // that says it only in its title has no mark in its text).
        let marked = results.hits.compactMap(\.snippet).flatMap { snippet in
            snippet.split(separator: "«").dropFirst().compactMap { $0.split(separator: "»").first.map(String.init) }
        }
        #expect(!marked.isEmpty)
        #expect(marked.allSatisfy { $0.lowercased().hasPrefix("a") }, "\(marked)")
        #expect(marked.contains { $0.count > 1 }, "\(marked)")
    }
}
