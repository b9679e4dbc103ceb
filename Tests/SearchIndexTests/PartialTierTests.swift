import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing

/// The partial tier: after every exact hit, units matching all the words
/// of the query but one, then figures, tables and rows inside a unit that
/// matches exactly; marked `partial`, never counted.
@Suite struct PartialTierTests {
    @Test func partialHitsFollowTheExactOnesAndMatchAllWordsButOne() throws {
        let index = try TestIndex()
        let oracle = try Oracle(index: index)
        var request = SearchRequest(query: "人工智能 教学")
        request.limit = 40
        request.facets = [.kind]
        let results = try index.searcher.search(request)
        let exact = Set(oracle.matching("人工智能 教学").map(\.id))
        #expect(results.total == exact.count)
        #expect(results.facets["kind"]?.reduce(0) { $0 + $1.count } == exact.count, "partial hits are not in the facets")
        let kinds = results.hits.map(\.match)
        #expect(kinds.prefix(exact.count).allSatisfy { $0 == .exact })
        #expect(kinds.dropFirst(exact.count).allSatisfy { $0 == .partial })
        #expect(kinds.count > exact.count, "the seed has units with only one of the two words")
        let eitherWord = Set(oracle.matching("人工智能").map(\.id)).union(oracle.matching("教学").map(\.id))
        let context = try contextOf(exact, index)
        for hit in results.hits where hit.match == .partial {
            #expect(!exact.contains(hit.id))
            #expect(eitherWord.contains(hit.id) || context.contains(hit.id), "\(hit.id) matches neither word nor through context")
        }
        // Units matching one word come before context-only hits.
        let firstContextOnly = results.hits.firstIndex { $0.match == .partial && !eitherWord.contains($0.id) } ?? results.hits.count
        let lastWord = results.hits.lastIndex { $0.match == .partial && eitherWord.contains($0.id) } ?? -1
        #expect(lastWord < firstContextOnly)
    }

    @Test func pagesContinueIntoThePartialTier() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "人工智能 教学")
        request.limit = 30
        request.snippetLength = 0
        let all = try index.searcher.search(request).hits.map(\.id)
        var paged: [String] = []
        request.limit = 4
        for page in 0..<(30 / 4 + 1) {
            request.offset = page * 4
            paged += try index.searcher.search(request).hits.map(\.id)
        }
        #expect(Array(paged.prefix(all.count)) == all)
    }

    @Test func aWordTheCorpusLacksFindsNothing() throws {
        let index = try TestIndex()
        for query in ["量子计算机 教学", "区块链 产教融合", "量子计算机", "kubernetes"] {
            let results = try index.searcher.search(SearchRequest(query: query))
            #expect(results.total == 0 && results.hits.isEmpty, "\(query)")
        }
    }

    /// `产教融合 kind:figure`: the figures whose caption says 产教融合 are
    /// exact; the figures of the cases about 产教融合 follow as partial hits.
    @Test func figuresAreFoundThroughTheCaseThatHoldsThem() throws {
        let index = try TestIndex()
        let oracle = try Oracle(index: index)
        var request = SearchRequest(query: "产教融合")
        request.filters[.kind] = ["figure"]
        request.limit = 100
        let results = try index.searcher.search(request)
        let holders = Set(oracle.matching("产教融合").filter { $0.kind != .figure && $0.kind != .row }.map(\.id))
        let partial = results.hits.filter { $0.match == .partial }
        #expect(!partial.isEmpty)
        let byID = Dictionary(uniqueKeysWithValues: index.units.map { ($0.id, $0) })
        for hit in results.hits {
            #expect(hit.kind == .figure)
        }
        for hit in partial {
            #expect(byID[hit.id]?.parent.map(holders.contains) == true, "\(hit.id) is not inside a unit about 产教融合")
        }
        #expect(results.total == results.hits.count - partial.count)
    }

    @Test func filtersAndExclusionsHoldInThePartialTier() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "人工智能 教学 -数字化")
        request.filters[.kind] = ["case"]
        request.limit = 50
        let results = try index.searcher.search(request)
        let oracle = try Oracle(index: index)
        let excluded = Set(oracle.matching("数字化").map(\.id))
        for hit in results.hits {
            #expect(hit.kind == .case)
            #expect(!excluded.contains(hit.id), "\(hit.id) says 数字化")
        }
    }

    @Test func browsingAndSortingByYearHaveNoPartialTier() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "人工智能 教学")
        request.sort = .yearDescending
        request.limit = 50
        #expect(try index.searcher.search(request).hits.allSatisfy { $0.match == .exact })
    }

    /// Figures, tables and rows inside one of `ids` (a row: through its table).
    private func contextOf(_ ids: Set<String>, _ index: TestIndex) throws -> Set<String> {
        let holders = UnitDocument.holders(in: index.units)
        return Set(index.units.filter { unit in
            UnitDocument.ancestors(of: unit, holders: holders).contains(where: ids.contains)
        }.map(\.id))
    }
}
