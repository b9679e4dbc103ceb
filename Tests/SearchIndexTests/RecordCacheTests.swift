import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing

/// Decoded hit records kept between searches change nothing in the answers
/// and stay within their budget.
@Suite struct RecordCacheTests {
    static let queries = ["产教融合", "學校", "ＡＩ", "1+X", "生师比", "school:广城", "技能 大赛", "的", "\"校企合作\" -学校"]

    @Test func cachedAndUncachedSearchersAnswerAlike() throws {
        let index = try TestIndex()
        let cold = try Searcher(index: index.indexURL, recordCacheBytes: 0)
        // Twice over, so that the second round reads from the cache.
        for _ in 0..<2 {
            for query in Self.queries {
                var request = SearchRequest(query: query)
                request.limit = 50
                let warm = try index.searcher.search(request)
                let fresh = try cold.search(request)
                #expect(warm.hits.map(\.id) == fresh.hits.map(\.id), "\(query)")
                #expect(warm.hits.map(\.snippet) == fresh.hits.map(\.snippet), "\(query)")
                #expect(warm.hits.map(\.title) == fresh.hits.map(\.title), "\(query)")
            }
        }
        #expect(index.searcher.records.count > 0)
        #expect(cold.records.count == 0, "a zero budget keeps nothing")
    }

    static func record(_ number: Int, textBytes: Int) -> StoredUnit.Record {
        StoredUnit.Record(
            id: "r/\(number)", kind: .section, report: "r", year: 2024, number: "\(number)", title: "t",
            text: String(repeating: "a", count: textBytes), chapter: nil, sectionPath: [], headings: [], schools: [],
            convertsChinese: false)
    }

    @Test func staysWithinItsBudgetAndKeepsWhatIsUsed() {
        // Room for about 8 records of 1,000 bytes (each counts 1,256).
        var cache = RecordCache(budget: 10_000)
        for number in 0..<100 {
            cache.insert(Self.record(number, textBytes: 1000), for: UInt32(number))
            // Record 0 is asked for after every insertion: it must survive.
            #expect(cache.record(0)?.id == "r/0", "after \(number)")
            #expect(cache.count <= 8, "after \(number): \(cache.count) records")
        }
        #expect(cache.record(1) == nil, "an old record nobody asked for is gone")
        #expect(cache.record(99)?.id == "r/99")
    }
}
