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
        let revision = try Self.twoShardsOfTheSeed(in: directory)
        var servers = try (0..<2).map { try ShardServer(database: revision.appendingPathComponent("shard-\($0)")) }
        defer { for server in servers { server.stop() } }
        let remote = try Self.describe(servers.map(\.port), in: directory)

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
        let revision = try Self.twoShardsOfTheSeed(in: directory)
        let servers = try (0..<2).map { try ShardServer(database: revision.appendingPathComponent("shard-\($0)")) }
        defer { for server in servers { server.resume(); server.stop() } }
        let remote = try Self.describe(servers.map(\.port), in: directory)

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

    /// A new build copied to the shard hosts one shard at a time: the daemon
    /// keeps its connections (the old build) until told to reload; a reload
    /// while the servers serve two builds is 503 `shard_mismatch`, never
    /// an answer mixing them; once all are copied, a reload serves the new
    /// build.
    @Test func aNewBuildOnTheShardHostsIsServedAfterAReload() async throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try Repository.copyCorpus(to: corpus)
        let built = directory.url.appendingPathComponent("built")
        let first = try IndexBuilder(corpus: corpus, index: built, shards: 2).build()
        let hosts = (0..<2).map { directory.url.appendingPathComponent("host-\($0)/shard") }
        func copy(shard: Int) throws {
            let source = try IndexLocation.resolve(built).database.appendingPathComponent("shard-\(shard)")
            try? FileManager.default.removeItem(at: hosts[shard])
            try FileManager.default.createDirectory(at: hosts[shard].deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: hosts[shard])
        }
        try copy(shard: 0)
        try copy(shard: 1)
        let servers = ServerList(try hosts.map { try ShardServer(database: $0) }, databases: hosts)
        defer { servers.stopAll() }
        let remote = try Self.describe(servers.ports, in: directory)

        try await TestDaemon.with(buildIndex: false, configure: { $0.index = remote }) { daemon in
            #expect(try await daemon.get("/v1/stats").json()["build"] as? String == first.revision)
            let search = "/v1/search?q=%E6%96%B0%E5%A2%9E%E5%86%85%E5%AE%B9"  // 新增内容
            #expect(try await daemon.get(search).json()["total"] as? Int == 0)

            let report = corpus.appendingPathComponent("guangzhou-2024.md")
            try (try String(contentsOf: report, encoding: .utf8) + "\n## 8. 附加章节\n\n新增内容。\n").write(to: report, atomically: true, encoding: .utf8)
            let second = try IndexBuilder(corpus: corpus, index: built, shards: 2).build()
            try copy(shard: 0)
            // Connections made before the copy serve the first build, whole.
            #expect(try await daemon.get(search).json()["total"] as? Int == 0)
            // Shard 0's server restarts: connecting again finds the new
            // build there and the old one on shard 1. Refused (two
            // workers, two searchers), never answered from both builds.
            try servers.restart(0)
            for _ in 0..<3 {
                let restarted = try await daemon.get(search)
                #expect(restarted.status == 503, "\(restarted.text)")
                #expect(["shard_unavailable", "shard_mismatch"].contains(restarted.errorCode), "\(restarted.text)")
            }
            let halfway = try await daemon.request("POST", "/v1/reload")
            #expect(halfway.status == 503, "\(halfway.text)")
            #expect(halfway.errorCode == "shard_mismatch", "\(halfway.text)")
            #expect(halfway.text.contains("shard 1 is shard 1 of 2 of build \(first.revision)"), "\(halfway.text)")
            #expect(try await daemon.get(search).errorCode == "shard_mismatch")

            try copy(shard: 1)
            let reload = try await daemon.request("POST", "/v1/reload")
            #expect(reload.status == 200, "\(reload.text)")
            #expect(try reload.json()["build"] as? String == second.revision)
            #expect(try await daemon.get(search).json()["total"] as? Int == 1)
            #expect(try await daemon.get("/v1/stats").json()["build"] as? String == second.revision)

            // The description rewritten (as `tools/shards stub` does, for
            // shards on new addresses) and reloaded: served from it.
            _ = try Self.describe(servers.ports, in: directory)
            #expect(try await daemon.request("POST", "/v1/reload").status == 200)
            #expect(try await daemon.get(search).json()["total"] as? Int == 1)
        }
    }
}

extension RemoteShardServeTests {
    /// The revision directory of a 2-shard index of the seed.
    static func twoShardsOfTheSeed(in directory: TemporaryDirectory) throws -> URL {
        let two = directory.url.appendingPathComponent("two")
        _ = try IndexBuilder(corpus: Repository.corpus, index: two, shards: 2).build()
        return try IndexLocation.resolve(two).database
    }

    /// Writes (or rewrites) `remote/XAPIANDB` listing shard servers on
    /// loopback, in shard order; returns the index directory `remote`.
    static func describe(_ ports: [Int], in directory: TemporaryDirectory) throws -> URL {
        let remote = directory.url.appendingPathComponent("remote")
        try FileManager.default.createDirectory(at: remote, withIntermediateDirectories: true)
        try ports.map { "remote 127.0.0.1:\($0)\n" }.joined()
            .write(to: remote.appendingPathComponent(ShardLayout.stubName), atomically: true, encoding: .utf8)
        return remote
    }
}

/// Shard servers that a test restarts (on the same port, serving the same
/// directory) while a daemon uses them.
private final class ServerList: @unchecked Sendable {
    // @unchecked: used from the test's task only.
    private var servers: [ShardServer]
    private let databases: [URL]

    init(_ servers: [ShardServer], databases: [URL]) {
        self.servers = servers
        self.databases = databases
    }

    var ports: [Int] { servers.map(\.port) }

    func restart(_ index: Int) throws {
        let port = servers[index].port
        servers[index].stop()
        servers[index] = try ShardServer(database: databases[index], port: port)
    }

    func stopAll() { for server in servers { server.stop() } }
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
