import Foundation
import Reports
import SearchIndex
import Testing

@Suite struct BrowseAndSortTests {
    @Test func emptyQueryWithAFilterBrowsesInReportOrder() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "")
        request.filters[.kind] = ["case"]
        request.limit = 100
        let results = try index.searcher.search(request)
        #expect(results.total == 66)
        let expected = index.units.filter { $0.kind == .case }.map(\.id)
        #expect(results.hits.map(\.id) == expected)
    }

    @Test func emptyQueryWithoutFiltersListsEverything() throws {
        let index = try TestIndex()
        #expect(try index.searcher.search(SearchRequest(query: "")).total == 274)
    }

    @Test func aQueryWithNothingToSearchForIsAnError() throws {
        let index = try TestIndex()
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.search(SearchRequest(query: "，。！")) }
        #expect(error?.code == .badQuery)
    }

    @Test func paginationIsStable() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.limit = 100
        let all = try index.searcher.search(request).hits.map(\.id)
        request.limit = 7
        var paged: [String] = []
        while request.offset < all.count {
            paged += try index.searcher.search(request).hits.map(\.id)
            request.offset += 7
        }
        #expect(paged == all)
    }

    @Test func explainShowsMatchedTermsTheirOriginAndWeights() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "世校赛")
        request.explain = true
        let results = try index.searcher.search(request)
        #expect(results.synonyms?["世校赛"]?.contains("世界职业院校技能大赛") == true)
        let explained = try #require(results.hits.first { hit in hit.explain?.terms.contains { $0.origin == .synonym } == true })
        let terms = try #require(explained.explain?.terms)
        #expect(terms.allSatisfy { $0.weight >= 0 && $0.unitFrequency > 0 })
        #expect(explained.explain?.query.isEmpty == false)
    }

    /// Filter terms such as XY2024 are the index's own, not the reader's:
    /// they are not listed; a school the query names is, by its id.
    @Test func explainListsNoInternalTerms() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "广州市信息技术职业学校 产教融合 kind:case")
        request.filters[.year] = ["2024"]
        request.explain = true
        let results = try index.searcher.search(request)
        let terms = results.hits.flatMap { $0.explain?.terms ?? [] }
        #expect(!terms.isEmpty)
        #expect(terms.allSatisfy { term in !term.term.hasPrefix("X") && !term.term.hasPrefix("Q") && !term.term.hasPrefix("S") }, "\(terms.map(\.term))")
        #expect(Set(terms.map(\.field)).isSubset(of: ["body", "title", "school"]))
        #expect(terms.contains { $0.field == "school" && $0.term == "gz-xinxi-jishu" }, "\(terms.map { "\($0.field):\($0.term)" })")
    }

    @Test func hitsCarrySchoolNames() throws {
        let index = try TestIndex()
        let hit = try #require(try index.searcher.search(SearchRequest(query: "弘扬延安精神")).hits.first)
        #expect(hit.id == "gz-2024/case/3-2")
        #expect(hit.schools == [SchoolRef(id: "gz-xinxi-jishu", name: "广州市信息技术职业学校")])
        #expect(hit.chapter?.title == "文化传承")
    }
}
