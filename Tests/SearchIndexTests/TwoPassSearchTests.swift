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

    /// The counts of a request are kept (`CountCache`): the next page, or
    /// the same query again, takes its total and facets from there, and
    /// they are those a count would give; the filters and the facets asked
    /// for are part of what is kept, the page and the sort are not.
    @Test func keptCountsAreTheCountsACountGives() throws {
        let index = try TestIndex()
        let counting = try Searcher(index: index.indexURL, countCacheBytes: 0, singlePassLimit: 0)
        let keeping = try Searcher(index: index.indexURL, singlePassLimit: 0)
        for query in Self.queries where !query.isEmpty {
            for facets in [[FacetField.kind], FacetField.allCases] {
                for filters in [[:], [QueryField.kind: ["case"]], [QueryField.year: ["2024"], .school: ["广城"]]] {
                    for (offset, sort) in [(0, SearchRequest.Sort.relevance), (10, .relevance), (0, .yearDescending), (0, .relevance)] {
                        var request = SearchRequest(query: query)
                        request.facets = facets
                        request.filters = filters
                        request.offset = offset
                        request.sort = sort
                        request.snippetLength = 0
                        let expected = try counting.search(request)
                        let actual = try keeping.search(request)
                        let context = "\(query) \(facets.count) facets \(filters) from \(offset) \(sort)"
                        #expect(actual.total == expected.total, "\(context)")
                        #expect(actual.facets == expected.facets, "\(context)")
                        #expect(actual.hits.map(\.id) == expected.hits.map(\.id), "\(context)")
                    }
                }
            }
        }
        #expect(keeping.counts.count > 0)
        #expect(counting.counts.count == 0)
    }

    @Test func theCountCacheStaysWithinItsBudget() {
        var cache = CountCache(budget: 4096)
        let small = CountCache.Counts(total: 3, facets: [0: [(value: Array("case".utf8), count: 3)]])
        let huge = CountCache.Counts(total: 9, facets: [1: Array(repeating: (value: Array(repeating: UInt8(65), count: 40), count: 1), count: 100)])
        var request = SearchRequest(query: "产教融合")
        cache.insert(huge, for: .init(request))
        #expect(cache.counts(.init(request)) == nil, "an entry over half the budget is not kept")
        cache.insert(small, for: .init(request))
        #expect(cache.counts(.init(request))?.total == 3)
        request.filters[.kind] = ["case"]
        #expect(cache.counts(.init(request)) == nil, "filters are part of the key")
        for number in 0..<100 {
            cache.insert(small, for: .init(SearchRequest(query: "q\(number)")))
        }
        #expect(cache.count < 100, "old generations are dropped")
        #expect(cache.count > 0)
        #expect(CountCache(budget: 0).count == 0)
    }
}
