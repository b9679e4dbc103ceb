import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing

/// An index written in several shards (one writer thread each) answers
/// exactly as one database does: the same ids in the same order, scores,
/// totals, facet counts, partial hits, related units and unit data.
@Suite struct ShardedIndexTests {
    /// Identical copies tie on every score, so the order of tied hits (by
    /// docid) shows whether the shards number units as one database would.
    /// Three shards do not divide a report's 274 units evenly.
    @Test func threeShardsAnswerLikeOneDatabase() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try SyntheticCorpus.write(copies: 3, to: corpus)
        let single = try IndexBuilder(corpus: corpus, index: directory.url.appendingPathComponent("one"), shards: 1).build()
        let sharded = try IndexBuilder(corpus: corpus, index: directory.url.appendingPathComponent("three"), shards: 3).build()
        #expect(single.shards == 1)
        #expect(sharded.shards == 3)
        #expect(sharded.units == single.units)

        let one = try Searcher(index: directory.url.appendingPathComponent("one"))
        let three = try Searcher(index: directory.url.appendingPathComponent("three"))
        #expect(three.info.units == one.info.units)
        #expect(three.info.reports == one.info.reports)
        for request in Self.requests() {
            try expectSameAnswers(one, three, request)
        }
        for id in ["copy-0/case/5-1", "copy-2/table/1-2", "copy-1/section/5.1.1"] {
            #expect(try three.unit(id) == one.unit(id))
            let expected = try one.related(to: id)
            let actual = try three.related(to: id)
            #expect(actual.terms == expected.terms, "related terms of \(id)")
            #expect(actual.hits.map(\.id) == expected.hits.map(\.id), "related units of \(id)")
            #expect(actual.hits.map(\.score) == expected.hits.map(\.score), "related scores of \(id)")
        }
    }

    /// Rebuilding copies unchanged reports from the previous revision into
    /// the new shards by position, whatever the previous shard count was.
    @Test func incrementalRebuildsKeepTheShardsRight() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try SyntheticCorpus.write(copies: 3, to: corpus)
        let sharded = directory.url.appendingPathComponent("sharded")
        _ = try IndexBuilder(corpus: corpus, index: sharded, shards: 2).build()

        // Change the middle report (its unit count changes too), then
        // rebuild in 3 shards and once more in 2.
        let file = corpus.appendingPathComponent("copy-1.md")
        try (try String(contentsOf: file, encoding: .utf8) + "\n## 8. 附加章节\n\n新增内容。\n").write(to: file, atomically: true, encoding: .utf8)
        let threeShards = try IndexBuilder(corpus: corpus, index: sharded, shards: 3).build()
        #expect(threeShards.reports.map(\.reused) == [true, false, true])
        #expect(threeShards.shards == 3)
        let fresh = directory.url.appendingPathComponent("fresh")
        _ = try IndexBuilder(corpus: corpus, index: fresh, shards: 1).build()
        let reference = try Searcher(index: fresh)
        for request in Self.requests() {
            try expectSameAnswers(reference, try Searcher(index: sharded), request)
        }
        let twoShards = try IndexBuilder(corpus: corpus, index: sharded, shards: 2).build()
        #expect(twoShards.reports.map(\.reused) == [true, true, true])
        for request in Self.requests() {
            try expectSameAnswers(reference, try Searcher(index: sharded), request)
        }
        #expect(try Searcher(index: sharded).search(SearchRequest(query: "\"新增内容\"")).hits.map(\.id) == ["copy-1/section/8"])
    }

    /// Unranked pages (docid order, what the partial tier's context step
    /// and existence checks use) are merged shard by shard: Xapian 1.4
    /// stops early only on one database.
    @Test func unrankedPagesMergeTheShardsInDocidOrder() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try SyntheticCorpus.write(copies: 2, to: corpus)
        let one = directory.url.appendingPathComponent("one")
        let three = directory.url.appendingPathComponent("three")
        _ = try IndexBuilder(corpus: corpus, index: one, shards: 1).build()
        _ = try IndexBuilder(corpus: corpus, index: three, shards: 3).build()
        let single = try XapianDatabase(path: IndexLocation.resolve(one).database.path)
        let sharded = try XapianDatabase(path: IndexLocation.resolve(three).database.path)
        #expect(single.shardCount == 1)
        #expect(sharded.shardCount == 3)
        for (term, offset, limit) in [("学校", 0, 1), ("学校", 7, 25), ("产教", 40, 100), ("量子", 0, 10), ("学校", 900, 10)] {
            var options = XapianSearchOptions()
            options.sort = .unranked
            options.offset = offset
            options.limit = limit
            options.includeMatchingTerms = true
            let expected = try single.search(.term(term), options: options)
            let actual = try sharded.search(.term(term), options: options)
            #expect(actual.hits.map(\.docid) == expected.hits.map(\.docid), "\(term) from \(offset)")
            #expect(actual.hits.map(\.data) == expected.hits.map(\.data), "\(term) from \(offset)")
            #expect(actual.hits.map(\.matchingTerms) == expected.hits.map(\.matchingTerms), "\(term) from \(offset)")
            options.checkAtLeast = 10_000
            #expect(try sharded.search(.term(term), options: options).estimated == single.search(.term(term), options: options).estimated)
        }
    }

    @Test func aShardedRevisionIsAStubAndItsShards() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index")
        let summary = try IndexBuilder(corpus: Repository.corpus, index: index, shards: 2).build()
        let revision = index.appendingPathComponent(summary.revision)
        let names = try FileManager.default.contentsOfDirectory(atPath: revision.path).sorted()
        #expect(names == ["XAPIANDB", "shard-0", "shard-1"])
        #expect(try String(contentsOf: revision.appendingPathComponent("XAPIANDB"), encoding: .utf8) == "auto shard-0\nauto shard-1\n")
        #expect(summary.bytes > IndexBuilder.size(of: revision.appendingPathComponent("shard-0")))
        // 274 units dealt out in turn: 137 each.
        for shard in 0..<2 {
            let database = try XapianDatabase(path: revision.appendingPathComponent("shard-\(shard)").path)
            #expect(try database.documentCount == 137)
        }
        let searcher = try Searcher(index: index)
        #expect(searcher.info.units == 274)
        try searcher.checkReadable()
        // The revision can also be opened as a directory in its own right.
        #expect(try Searcher(index: revision).info.units == 274)
        // Its stub file named directly would hide the shards from anli's
        // per-shard facet counts: refused, saying what to open instead.
        let stubFile = #expect(throws: XapianError.self) { _ = try XapianDatabase(path: revision.appendingPathComponent("XAPIANDB").path) }
        #expect(stubFile?.message.contains("open the directory that holds its XAPIANDB") == true, "\(stubFile?.message ?? "")")
    }

    /// The seal covers the shards' files: bytes written into a shard after
    /// publishing keep the revision from being read.
    @Test func theSealCoversEveryShard() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index")
        let summary = try IndexBuilder(corpus: Repository.corpus, index: index, shards: 2).build()
        let searcher = try Searcher(index: index)
        try searcher.checkSealed()
        let file = index.appendingPathComponent(summary.revision).appendingPathComponent("shard-1/postlist.glass")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let error = #expect(throws: SearchError.self) { try searcher.checkSealed() }
        #expect(error?.code == .indexCorrupt)
        #expect(error?.message.contains("shard-1/postlist.glass") == true)
    }

    /// Shards arrive on other hosts one by one (copied, replicated): a stub
    /// that joins shards of two builds, leaves one out or lists them out of
    /// order would number units wrongly, so it is refused, saying which.
    @Test func shardsOfTwoBuildsMissingOrOutOfOrderAreRefused() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index")
        let first = try IndexBuilder(corpus: Repository.corpus, index: index, shards: 2).build()
        let second = try IndexBuilder(corpus: Repository.corpus, index: index, shards: 2).build()
        #expect(first.revision != second.revision)
        #expect(try Searcher(index: index).build == second.revision)

        let joined = directory.url.appendingPathComponent("joined")
        try FileManager.default.createDirectory(at: joined, withIntermediateDirectories: false)
        func refusal(_ stub: String) -> SearchError? {
            try? stub.write(to: joined.appendingPathComponent("XAPIANDB"), atomically: true, encoding: .utf8)
            return #expect(throws: SearchError.self) { _ = try Searcher(index: joined) }
        }
        let old = index.appendingPathComponent(first.revision).path
        let new = index.appendingPathComponent(second.revision).path
        let mixed = refusal("auto \(new)/shard-0\nauto \(old)/shard-1\n")
        #expect(mixed?.code == .shardMismatch)
        #expect(mixed?.message.contains("shard 1 is shard 1 of 2 of build \(first.revision), but shard 0 is shard 0 of 2 of build \(second.revision)") == true, "\(mixed?.message ?? "")")
        let missing = refusal("auto \(new)/shard-0\n")
        #expect(missing?.code == .shardMismatch)
        #expect(missing?.message.contains("it lists 1 shard, but its shard 0 is shard 0 of 2") == true, "\(missing?.message ?? "")")
        let swapped = refusal("auto \(new)/shard-1\nauto \(new)/shard-0\n")
        #expect(swapped?.code == .shardMismatch)
        #expect(swapped?.message.contains("its line 1 is shard 1 of 2") == true, "\(swapped?.message ?? "")")

        // The shards of one build, wherever they are, make the index.
        try "auto \(new)/shard-0\nauto \(new)/shard-1\n".write(to: joined.appendingPathComponent("XAPIANDB"), atomically: true, encoding: .utf8)
        #expect(try Searcher(index: joined).info.units == 274)
    }

    @Test func aStubThatListsSomethingElseIsAClearError() throws {
        let directory = try TemporaryDirectory()
        try "auto shard-0\nremote tcp example.org:1234\n".write(
            to: directory.url.appendingPathComponent("XAPIANDB"), atomically: true, encoding: .utf8)
        let error = #expect(throws: XapianError.self) { _ = try XapianDatabase(path: directory.path) }
        #expect(error?.code == .databaseOpening)
        #expect(error?.message.contains("XAPIANDB:2") == true)
    }

    @Test func theDefaultShardCountFollowsCoresAndSize() {
        #expect(ShardLayout.defaultCount(corpusBytes: 500_000, cores: 8) == 1)
        #expect(ShardLayout.defaultCount(corpusBytes: 30 << 20, cores: 2) == 2)
        #expect(ShardLayout.defaultCount(corpusBytes: 30 << 20, cores: 16) == 4)
        #expect(ShardLayout.defaultCount(corpusBytes: 30 << 20, cores: 1) == 1)
        #expect(ShardLayout.firstUnit(inShard: 0, base: 0, count: 3) == 0)
        #expect(ShardLayout.firstUnit(inShard: 0, base: 274, count: 3) == 2)  // 274 % 3 == 1: units 276, 279 … are shard 0's
        #expect(ShardLayout.firstUnit(inShard: 1, base: 274, count: 3) == 0)
    }

    // MARK: - Helpers

    /// The data-driven search cases, the exact-match queries, and requests
    /// that page, sort by year, browse, filter, count every facet, and
    /// reach the partial tier.
    static func requests() -> [SearchRequest] {
        var requests: [SearchRequest] = []
        for query in SearchCaseTests.cases.map(\.query) + ExactMatchTests.queries {
            var request = SearchRequest(query: query)
            request.limit = 30
            request.facets = FacetField.allCases
            requests.append(request)
        }
        var paged = SearchRequest(query: "学校")
        paged.offset = 95
        paged.limit = 20
        requests.append(paged)
        var byYear = SearchRequest(query: "实训基地")
        byYear.sort = .yearAscending
        requests.append(byYear)
        var browse = SearchRequest(query: "")
        browse.filters[.kind] = ["table"]
        browse.limit = 50
        requests.append(browse)
        var partial = SearchRequest(query: "数字化教学 量子计算机")
        partial.limit = 40
        requests.append(partial)
        return requests
    }

    func expectSameAnswers(_ one: Searcher, _ other: Searcher, _ request: SearchRequest) throws {
        let expected = try one.search(request)
        let actual = try other.search(request)
        #expect(actual.total == expected.total, "total of \(request.query)")
        #expect(actual.hits.map(\.id) == expected.hits.map(\.id), "hits of \(request.query)")
        #expect(actual.hits.map(\.score) == expected.hits.map(\.score), "scores of \(request.query)")
        #expect(actual.hits.map(\.match) == expected.hits.map(\.match), "match kinds of \(request.query)")
        #expect(actual.hits.map(\.snippet) == expected.hits.map(\.snippet), "snippets of \(request.query)")
        #expect(actual.facets == expected.facets, "facets of \(request.query)")
    }
}
