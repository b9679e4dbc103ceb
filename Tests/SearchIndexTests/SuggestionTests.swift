import AnliTestSupport
import Foundation
@testable import SearchIndex
import Testing

/// A search that finds nothing offers queries to try: a word that
/// abbreviates a school's name (信息学校, 广州城建), or that matches with a
/// character left out; each counted, none that would find nothing.
@Suite struct SuggestionTests {
    @Test(arguments: [
        ("信息学校", "广州市信息技术职业学校", "school"),
        ("广州城建", "广州市城市建设职业学校", "school"),
        ("城建学校", "广州市城市建设职业学校", "school"),
        ("产教深融合", "产教融合", "shorter"),
        ("信息学校 kind:case", "广州市信息技术职业学校 kind:case", "school"),
    ])
    func nothingFoundOffersAnotherQuery(query: String, suggested: String, reason: String) throws {
        let index = try TestIndex()
        let results = try index.searcher.search(SearchRequest(query: query))
        #expect(results.total == 0)
        let suggestion = try #require(results.suggestions?.first { $0.query == suggested }, "\(results.suggestions ?? [])")
        #expect(suggestion.reason == reason)
        #expect(suggestion.total == (try index.searcher.search(SearchRequest(query: suggested)).total))
        #expect(suggestion.total > 0)
    }

    @Test func theFiltersStayAndCountTheSuggestion() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "信息学校")
        request.filters[.kind] = ["figure"]
        let results = try index.searcher.search(request)
        var suggested = SearchRequest(query: "广州市信息技术职业学校")
        suggested.filters[.kind] = ["figure"]
        #expect(results.suggestions?.first?.total == (try index.searcher.search(suggested).total))
    }

    @Test(arguments: ["产教融合", "量子计算机", "房地产税", "AI"])
    func noSuggestionsWithoutCause(query: String) throws {
        let index = try TestIndex()
        #expect(try index.searcher.search(SearchRequest(query: query)).suggestions == nil, "found something, or nothing close")
    }

    @Test func charactersInOrder() {
        #expect(Searcher.holdsInOrder(Array("广州城建"), in: Array("广州市城市建设职业学校")))
        #expect(!Searcher.holdsInOrder(Array("建城"), in: Array("广州市城市建设职业学校")))
    }
}
