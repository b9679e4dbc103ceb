import AnliTestSupport
import Foundation
import SearchIndex
import SearchServer
import Testing

/// A daemon on a read replica: after `anli index` on the indexing host and
/// one replication update, the replica's daemon serves the new build at
/// once (its next check of `current`, every 100 ms), without a restart,
/// and the answers are the indexing host's.
@Suite struct ReplicaServeTests {
    @Test func theReplicasDaemonServesEachNewBuild() async throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try Repository.copyCorpus(to: corpus)
        let master = directory.url.appendingPathComponent("master")
        let first = try IndexBuilder(corpus: corpus, index: master, shards: 2).build()
        let port = try ShardServer.freePort()
        let server = try ShardServer(
            command: ["/usr/bin/xapian-replicate-server", "--interface", "127.0.0.1", "--port", String(port), master.path], port: port)
        defer { server.stop() }
        let replicaDirectory = directory.url.appendingPathComponent("replica")
        let replica = Replica(host: "127.0.0.1", port: port, indexDirectory: replicaDirectory)
        _ = try replica.update()

        try await TestDaemon.with(buildIndex: false, configure: { $0.index = replicaDirectory }) { daemon in
            let stats = try await daemon.get("/v1/stats")
            #expect(try stats.json()["revision"] as? String == first.revision)
            let search = "/v1/search?q=%E6%96%B0%E5%A2%9E%E5%86%85%E5%AE%B9"  // 新增内容
            #expect(try await daemon.get(search).json()["total"] as? Int == 0)

            let report = corpus.appendingPathComponent("guangzhou-2024.md")
            try (try String(contentsOf: report, encoding: .utf8) + "\n## 8. 附加章节\n\n新增内容。\n").write(to: report, atomically: true, encoding: .utf8)
            let second = try IndexBuilder(corpus: corpus, index: master, shards: 2).build()
            // The daemon goes on serving the first build until the update.
            #expect(try await daemon.get("/v1/stats").json()["revision"] as? String == first.revision)
            #expect(try replica.update() == .published(build: second.revision, shards: 2))

            // The next request after the daemon's check (100 ms) sees it.
            try await Task.sleep(for: .milliseconds(150))
            let after = try await daemon.get(search)
            #expect(after.status == 200, "\(after.text)")
            #expect(try after.json()["total"] as? Int == 1)
            #expect(try await daemon.get("/v1/stats").json()["revision"] as? String == second.revision)
            #expect(try await daemon.get("/v1/stats").json()["reloads"] as? Int == 1)
            var request = SearchRequest(query: "产教融合")
            request.limit = 20
            let onMaster = try Searcher(index: master).search(request).hits.map(\.id)
            let ids = try await daemon.get("/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&limit=20").json()["hits"] as? [[String: Any]]
            #expect(ids?.compactMap { $0["id"] as? String } == onMaster)
        }
    }
}
