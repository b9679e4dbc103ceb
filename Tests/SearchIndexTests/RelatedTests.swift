import Foundation
import Reports
@testable import SearchIndex
import Testing

/// Related units: never the unit itself, and the terms are words, not
/// single characters or bigrams that straddle words.
@Suite struct RelatedTests {
    @Test(arguments: ["gz-2024/case/5-3", "gz-2024/case/1-10", "gz-2024/case/2-5", "gz-2024/section/5.1.1"])
    func relatedNeverIncludesTheUnitItself(id: String) throws {
        let index = try TestIndex()
        let related = try index.searcher.related(to: id, limit: 20)
        #expect(!related.hits.isEmpty)
        #expect(!related.hits.contains { $0.id == id })
        #expect(related.hits.allSatisfy { $0.kind == .case })
        #expect(!related.terms.isEmpty)
        for term in related.terms {
            let isSingleCJK = term.count == 1 && term.unicodeScalars.allSatisfy { $0.value >= 0x2E80 }
            #expect(!isSingleCJK, "single character \(term)")
            #expect(term.first?.isUppercase != true, "prefixed term \(term)")
            #expect(term.unicodeScalars.contains { $0.properties.isAlphabetic }, "number \(term)")
        }
    }

    /// The terms are shown as the words they stand in where the unit says
    /// them, not as the bigrams that found the related units: 电子商务, not
    /// 子商 and 电子; every term is written in the unit as shown.
    @Test func termsAreShownAsWholeWords() throws {
        let index = try TestIndex()
        let related = try index.searcher.related(to: "gz-2024/case/5-3")
        #expect(related.terms.contains("电子商务"), "\(related.terms)")
        #expect(!related.terms.contains("子商"), "\(related.terms)")
        #expect(!related.terms.contains("电子"), "\(related.terms)")
        #expect(related.terms.contains("产教融合"), "\(related.terms)")
        let unit = try index.searcher.unit("gz-2024/case/5-3")
        let text = try index.normalizedText(unit)
        #expect(related.terms.allSatisfy { text.contains($0) }, "\(related.terms)")
        #expect(Set(related.terms).count == related.terms.count)
        #expect(!related.terms.contains { term in related.terms.contains { $0 != term && $0.contains(term) } }, "no word inside another")
    }

    /// The fragments the issue named (院正 of 产业学院正式, 础较 of 基础较好)
    /// are not shown, nor other bigrams that cross a word's edge.
    @Test(arguments: [
        ("gz-2024/case/5-3", ["院正", "木科", "与就业"]),
        ("gz-2024/case/1-12", ["础较", "交桥", "生录"]),
        ("gz-2024/case/3-2", ["色血", "续红", "命先"]),
    ])
    func fragmentsAcrossWordEdgesAreNotShown(id: String, fragments: [String]) throws {
        let index = try TestIndex()
        let terms = try index.searcher.related(to: id).terms
        for fragment in fragments { #expect(!terms.contains(fragment), "\(fragment) in \(terms)") }
    }

    /// How a bigram becomes a word: it takes a neighbour that two thirds of
    /// its occurrences share, and stops where they differ.
    @Test func aBigramGrowsAsFarAsItsOccurrencesAgree() {
        func contexts(_ run: String, _ texts: [String]) -> Searcher.RunContexts {
            var contexts = Searcher.RunContexts(of: Array(run))
            for text in texts { contexts.add(Array(text)) }
            return contexts
        }
        let texts = ["推进产教融合。", "深化产教融合，", "产教融合共同体", "产教融合型企业", "科教融汇"]
        let anchor = Searcher.RunContexts(of: Array("教融")).occurrences(in: Array("推进产教融合。"))[0]
        // 产 before 4 of 5, 合 after 4 of the 4 that have 产.
        #expect(String(contexts("教融", texts).grown(around: anchor)) == "产教融合")
        // Followed by 融 in all four, but preceded by 进, 化 and nothing.
        let whole = Searcher.RunContexts(of: Array("产教")).occurrences(in: Array("推进产教融合。"))[0]
        #expect(String(contexts("产教", texts).grown(around: whole)) == "产教融合")
        // Two of five is not enough: 电子 stays itself.
        let mixed = ["电子商务", "电子商务", "电子信息", "电子产品", "电子竞技"]
        let first = Searcher.RunContexts(of: Array("电子")).occurrences(in: Array("电子商务"))[0]
        #expect(String(contexts("电子", mixed).grown(around: first)) == "电子")
        // An edge goes when the rest is mostly written without it.
        #expect(!contexts("就业", ["促进就业", "与就业", "稳定就业", "高质量就业"]).mostlyFollow("与"))
        #expect(contexts("电子商", ["电子商务", "电子商务", "电子商城"]).mostlyPrecede("务"))
        // One occurrence is no evidence.
        #expect(!contexts("电子商", ["电子商务"]).mostlyPrecede("务"))
    }

    @Test func twinCasesAreEachOthersBestMatch() throws {
        // Cases 1-10 and 5-4 tell the same story about the same school.
        let index = try TestIndex()
        #expect(try index.searcher.related(to: "gz-2024/case/1-10").hits.first?.id == "gz-2024/case/5-4")
    }

    @Test func unknownUnitAndBadLimit() throws {
        let index = try TestIndex()
        #expect(throws: SearchError.self) { _ = try index.searcher.related(to: "gz-2024/case/0-0") }
        #expect(throws: SearchError.self) { _ = try index.searcher.related(to: "gz-2024/case/5-3", limit: 0) }
    }
}
