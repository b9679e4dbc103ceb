import AnliTestSupport
import Foundation
import SearchIndex
import SearchServer
import Testing

/// The daemon over shards served by `xapian-tcpsrv`: a shard server that
/// goes away is a 503 naming the shard, and once it is back the same
/// daemon answers again, without a restart.
@Suite struct RemoteShardServeTests {
    @Test func aShardServerThatRestartsIsA503ThenServedAgain() async throws {
        let directory = try TemporaryDirectory()
        let two = directory.url.appendingPathComponent("two")
        _ = try IndexBuilder(corpus: Repository.corpus, index: two, shards: 2).build()
        let revision = try IndexLocation.resolve(two).database
        var servers = try (0..<2).map { try ShardServer(database: revision.appendingPathComponent("shard-\($0)")) }
        defer { for server in servers { server.stop() } }
        let remote = directory.url.appendingPathComponent("remote")
        try FileManager.default.createDirectory(at: remote, withIntermediateDirectories: true)
        try servers.map { "remote 127.0.0.1:\($0.port)\n" }.joined()
            .write(to: remote.appendingPathComponent(ShardLayout.stubName), atomically: true, encoding: .utf8)

        try await TestDaemon.with(buildIndex: false, configure: { $0.index = remote }) { daemon in
            let target = "/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&facets=school"
            let before = try await daemon.get(target)
            #expect(before.status == 200, "\(before.text)")
            #expect(try before.json()["total"] as? Int == 31)

            let port = servers[0].port
            servers[0].stop()
            let down = try await daemon.get(target)
            #expect(down.status == 503)
            #expect(down.errorCode == "shard_unavailable")
            #expect(down.text.contains("shard 0 at 127.0.0.1:\(port)"), "\(down.text)")

            servers[0] = try ShardServer(database: revision.appendingPathComponent("shard-0"), port: port)
            let after = try await daemon.get(target)
            #expect(after.status == 200, "\(after.text)")
            #expect(after.body == before.body.replacingTook(with: after.body), "the same answer once the shard is back")
            #expect(try after.json()["total"] as? Int == 31)
        }
    }

    /// A shard server that hangs (stopped with SIGSTOP: connections open,
    /// nothing answered) costs each request one shard timeout, then a 503;
    /// once it goes on, the same daemon answers again.
    @Test func aShardServerThatHangsIsA503AfterTheShardTimeout() async throws {
        let directory = try TemporaryDirectory()
        let two = directory.url.appendingPathComponent("two")
        _ = try IndexBuilder(corpus: Repository.corpus, index: two, shards: 2).build()
        let revision = try IndexLocation.resolve(two).database
        let servers = try (0..<2).map { try ShardServer(database: revision.appendingPathComponent("shard-\($0)")) }
        defer { for server in servers { server.resume(); server.stop() } }
        let remote = directory.url.appendingPathComponent("remote")
        try FileManager.default.createDirectory(at: remote, withIntermediateDirectories: true)
        try servers.map { "remote 127.0.0.1:\($0.port)\n" }.joined()
            .write(to: remote.appendingPathComponent(ShardLayout.stubName), atomically: true, encoding: .utf8)

        try await TestDaemon.with(buildIndex: false, configure: { $0.index = remote; $0.shardTimeout = .milliseconds(500) }) { daemon in
            let target = "/v1/search?q=%E7%94%9F%E5%B8%88%E6%AF%94&facets=kind"  // 生师比
            let before = try await daemon.get(target)
            #expect(before.status == 200, "\(before.text)")

            servers[1].pause()
            // A new query: a cached count would not ask the shards.
            let hung = try await daemon.get("/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&facets=school")
            #expect(hung.status == 503, "\(hung.text)")
            #expect(hung.errorCode == "shard_unavailable", "\(hung.text)")
            #expect(hung.text.contains("shard 1 at 127.0.0.1:\(servers[1].port)"), "\(hung.text)")
            #expect(hung.text.lowercased().contains("timeout"), "\(hung.text)")

            servers[1].resume()
            let after = try await daemon.get(target)
            #expect(after.status == 200, "\(after.text)")
            #expect(after.body == before.body.replacingTook(with: after.body), "the same answer once the shard answers again")
        }
    }
}

private extension [UInt8] {
    /// `self` with the `took_us` of `other`: answers that differ only in time.
    func replacingTook(with other: [UInt8]) -> [UInt8] {
        func took(_ bytes: [UInt8]) -> String? {
            String(decoding: bytes, as: UTF8.self).firstMatch(of: /"took_us":\d+/).map { String($0.output) }
        }
        guard let mine = took(self), let theirs = took(other) else { return self }
        return Array(String(decoding: self, as: UTF8.self).replacingOccurrences(of: mine, with: theirs).utf8)
    }
}
