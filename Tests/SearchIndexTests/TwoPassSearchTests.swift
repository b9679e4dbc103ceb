import AnliTestSupport
import Foundation
@testable import SearchIndex
import Testing

/// A large index ranks with Xapian's pruning and counts in a second,
/// boolean pass (`Searcher.singlePassLimit`). Forced onto the seed index,
/// that path must answer exactly as the single exhaustive pass does: the
/// same page in the same order, the same total, the same facet counts.
@Suite struct TwoPassSearchTests {
    static let queries = [
        "产教融合", "学校", "教", "ＡＩ", "1+X", "職業教育", "school:广城", "技能 大赛", "\"校企合作\" -学校",
        "广州市信息技术职业学校", "AIGC", "17.76:1", "量子计算机", "",
    ]

    @Test func rankingThenCountingAnswersAsOnePassDoes() throws {
        let index = try TestIndex()
        let twoPass = try Searcher(index: index.indexURL, singlePassLimit: 0)
        for query in Self.queries {
            for facets in [[], FacetField.allCases] {
                for (offset, limit) in [(0, 10), (5, 20), (0, 100)] {
                    var request = SearchRequest(query: query)
                    if query.isEmpty { request.filters[.kind] = ["case"] }
                    request.facets = facets
                    request.offset = offset
                    request.limit = limit
                    request.snippetLength = 0
                    let one = try index.searcher.search(request)
                    let two = try twoPass.search(request)
                    let context = "\(query) facets \(facets.count) offset \(offset) limit \(limit)"
                    #expect(one.total == two.total, "\(context)")
                    #expect(one.hits.map(\.id) == two.hits.map(\.id), "\(context)")
                    #expect(one.hits.map(\.score) == two.hits.map(\.score), "\(context)")
                    #expect(one.facets == two.facets, "\(context)")
                }
            }
        }
    }
}
