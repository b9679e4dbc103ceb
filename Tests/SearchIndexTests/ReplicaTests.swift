import AnliTestSupport
import Foundation
@testable import SearchIndex
import Testing

/// Read replicas kept by Xapian's replication on loopback: a stock
/// `xapian-replicate-server` serves the indexing host's index directory,
/// `Replica` copies each shard with `xapian-replicate` and publishes a
/// revision only once every shard is of one build.
@Suite struct ReplicaTests {
    @Test func aReplicaServesTheMastersBuildAndOnlyWholeBuilds() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try SyntheticCorpus.write(copies: 2, to: corpus)
        let master = directory.url.appendingPathComponent("master")
        let first = try IndexBuilder(corpus: corpus, index: master, shards: 2).build()
        let server = try Self.replicationServer(serving: master)
        defer { server.stop() }
        let replicaDirectory = directory.url.appendingPathComponent("replica")
        let replica = Replica(host: "127.0.0.1", port: server.port, indexDirectory: replicaDirectory)

        #expect(try replica.update() == .published(build: first.revision, shards: 2))
        #expect(try replica.update() == .upToDate(build: first.revision))
        let served = try Searcher(index: replicaDirectory)
        #expect(served.location.revision == first.revision)
        #expect(served.build == first.revision)
        let reference = try Searcher(index: master)
        for request in ShardedIndexTests.requests() {
            try ShardedIndexTests().expectSameAnswers(reference, served, request)
        }

        // A new build on the master, in 3 shards, with new content. Only
        // shard 0 has arrived: the replica keeps serving the first build.
        let file = corpus.appendingPathComponent("copy-1.md")
        try (try String(contentsOf: file, encoding: .utf8) + "\n## 8. 附加章节\n\n新增内容。\n").write(to: file, atomically: true, encoding: .utf8)
        let second = try IndexBuilder(corpus: corpus, index: master, shards: 3).build()
        try Self.replicateOneShard("current/shard-0", from: server.port, into: replica.copy(of: 0))
        #expect(try replica.publishIfComplete() == nil)
        #expect(try IndexLocation.resolve(replicaDirectory).revision == first.revision)
        try served.checkSealed()
        #expect(try served.search(SearchRequest(query: "\"新增内容\"")).total == 0)

        // The update brings the rest and switches at once.
        #expect(try replica.update() == .published(build: second.revision, shards: 3))
        let updated = try Searcher(index: replicaDirectory)
        #expect(updated.build == second.revision)
        #expect(updated.info.shards == 3)
        #expect(try updated.search(SearchRequest(query: "\"新增内容\"")).hits.map(\.id) == ["copy-1/section/8"])
        // The previous revision is hard links to copies that
        // xapian-replicate has since deleted: still whole, still sealed.
        try served.checkSealed()
        #expect(try served.search(SearchRequest(query: "产教融合")).total == reference.search(SearchRequest(query: "产教融合")).total)
        // Back to one database: the revision is the database itself.
        let third = try IndexBuilder(corpus: corpus, index: master, shards: 1).build()
        #expect(try replica.update() == .published(build: third.revision, shards: 1))
        #expect(try Searcher(index: replicaDirectory).info.units == updated.info.units)
        let copies = try FileManager.default.contentsOfDirectory(atPath: replicaDirectory.appendingPathComponent(Replica.replicasName).path)
        #expect(copies == ["shard-0"], "copies of shards the build no longer has are removed")
    }

    @Test func aMasterThatDoesNotAnswerIsAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        let port = try ShardServer.freePort()
        let replica = Replica(host: "127.0.0.1", port: port, indexDirectory: directory.url.appendingPathComponent("replica"))
        let error = #expect(throws: SearchError.self) { try replica.update() }
        #expect(error?.code == .shardUnavailable)
        #expect(error?.message.contains("from 127.0.0.1:\(port) failed") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Connection refused") == true, "\(error?.message ?? "")")
        #expect((try? IndexLocation.resolve(directory.url.appendingPathComponent("replica"))) == nil, "nothing published")
    }

    static func replicationServer(serving index: URL) throws -> ShardServer {
        let port = try ShardServer.freePort()
        return try ShardServer(
            command: ["/usr/bin/xapian-replicate-server", "--interface", "127.0.0.1", "--port", String(port), index.path], port: port)
    }

    static func replicateOneShard(_ master: String, from port: Int, into destination: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xapian-replicate")
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--master", master, "--one-shot", "--quiet", destination.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
