import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing

/// Shards served by stock `xapian-tcpsrv` processes (Debian's xapian-tools)
/// on loopback, joined by a stub of `remote HOST:PORT` lines, answer as one
/// local database does: ids, order, scores, totals, facets (the servers
/// count them with Xapian's own ValueCountMatchSpy), snippets, units and
/// related units (whose expand set uses exact term frequencies, so that it
/// does not depend on how the index is split).
@Suite(.serialized) struct RemoteShardTests {
    @Test func remoteShardsAnswerLikeOneLocalDatabase() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try SyntheticCorpus.write(copies: 3, to: corpus)
        let one = directory.url.appendingPathComponent("one")
        let two = directory.url.appendingPathComponent("two")
        _ = try IndexBuilder(corpus: corpus, index: one, shards: 1).build()
        _ = try IndexBuilder(corpus: corpus, index: two, shards: 2).build()
        let revision = try IndexLocation.resolve(two).database

        let servers = try (0..<2).map { shard in try ShardServer(database: revision.appendingPathComponent("shard-\(shard)")) }
        defer { for server in servers { server.stop() } }
        let remote = directory.url.appendingPathComponent("remote")
        try FileManager.default.createDirectory(at: remote, withIntermediateDirectories: true)
        try servers.map { "remote 127.0.0.1:\($0.port)\n" }.joined()
            .write(to: remote.appendingPathComponent(ShardLayout.stubName), atomically: true, encoding: .utf8)

        // The searchers close their connections before the servers stop.
        do {
            let local = try Searcher(index: one)
            let served = try Searcher(index: remote)
            #expect(served.info.shards == 2)
            #expect(served.info.units == local.info.units)
            #expect(served.info.reports == local.info.reports)
            // The data-driven search cases, every facet counted.
            let sharded = ShardedIndexTests()
            for query in SearchCaseTests.cases.map(\.query) {
                var request = SearchRequest(query: query)
                request.limit = 30
                request.facets = FacetField.allCases
                try sharded.expectSameAnswers(local, served, request)
            }
            var browse = SearchRequest(query: "")
            browse.filters[.kind] = ["table"]
            browse.limit = 50
            try sharded.expectSameAnswers(local, served, browse)
            for id in ["copy-0/case/5-1", "copy-2/table/1-2"] {
                #expect(try served.unit(id) == local.unit(id))
                let expected = try local.related(to: id)
                let actual = try served.related(to: id)
                #expect(actual.terms == expected.terms, "related terms of \(id)")
                #expect(actual.hits.map(\.id) == expected.hits.map(\.id), "related units of \(id)")
            }
        }
    }

    /// A shard server that goes away is an error naming the shard (never an
    /// answer from the other shards counted as complete); once it is back,
    /// the same searcher connects again by itself.
    @Test func aShardThatGoesAwayIsAnErrorUntilItComesBack() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try SyntheticCorpus.write(copies: 2, to: corpus)
        let two = directory.url.appendingPathComponent("two")
        _ = try IndexBuilder(corpus: corpus, index: two, shards: 2).build()
        let revision = try IndexLocation.resolve(two).database
        var servers = try (0..<2).map { shard in try ShardServer(database: revision.appendingPathComponent("shard-\(shard)")) }
        defer { for server in servers { server.stop() } }
        let remote = directory.url.appendingPathComponent("remote")
        try FileManager.default.createDirectory(at: remote, withIntermediateDirectories: true)
        try servers.map { "remote 127.0.0.1:\($0.port)\n" }.joined()
            .write(to: remote.appendingPathComponent(ShardLayout.stubName), atomically: true, encoding: .utf8)

        var request = SearchRequest(query: "产教融合")
        request.facets = [.school, .kind]
        do {
            let searcher = try Searcher(index: remote)
            let before = try searcher.search(request)
            #expect(before.total > 0)

            let port = servers[1].port
            servers[1].stop()
            #expect { _ = try searcher.search(request) } throws: { error in
                guard let error = error as? SearchError else { return false }
                return error.code == .shardUnavailable && error.message.contains("shard 1 at 127.0.0.1:\(port)")
            }
            // Still down: the same error again, at once.
            #expect(throws: SearchError.self) { _ = try searcher.search(request) }

            servers[1] = try ShardServer(database: revision.appendingPathComponent("shard-1"), port: port)
            let after = try searcher.search(request)
            #expect(after.total == before.total)
            #expect(after.hits.map(\.id) == before.hits.map(\.id))
            #expect(after.facets == before.facets)
        }
    }

    /// A stub line that is neither a path nor `remote HOST:PORT` names its
    /// line; a shard server that does not answer names the shard.
    @Test func badRemoteLinesAndAbsentServersSayWhichShard() throws {
        let directory = try TemporaryDirectory()
        let stub = directory.url.appendingPathComponent(ShardLayout.stubName)
        try "remote 127.0.0.1\n".write(to: stub, atomically: true, encoding: .utf8)
        #expect { _ = try Searcher(index: directory.url) } throws: { error in
            "\(error)".contains("XAPIANDB:1") && "\(error)".contains("remote HOST:PORT")
        }
        // A port nothing listens on: refused at once.
        let port = try ShardServer.freePort()
        try "remote 127.0.0.1:\(port)\n".write(to: stub, atomically: true, encoding: .utf8)
        #expect { _ = try Searcher(index: directory.url) } throws: { error in
            "\(error)".contains("shard 0 at 127.0.0.1:\(port)")
        }
    }
}
