import Foundation
import Reports
import SearchIndex
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
