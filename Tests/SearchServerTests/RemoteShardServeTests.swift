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
