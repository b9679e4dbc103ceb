import AnliTestSupport
import Foundation
import Testing

/// `anli replicate`, run as a user would against a stock
/// `xapian-replicate-server` on loopback.
@Suite struct ReplicateCommandTests {
    @Test func replicateOnceCopiesTheBuildAndSaysWhatItDid() throws {
        let directory = try TemporaryDirectory()
        let master = directory.url.appendingPathComponent("master").path
        let build = try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", master, "--shards", "2", "--json"])
        #expect(build.status == 0, "\(build.standardError)")
        let revision = try #require(try JSONSerialization.jsonObject(with: Data(build.standardOutput.utf8)) as? [String: Any])["revision"] as? String
        let port = try ShardServer.freePort()
        let server = try ShardServer(command: ["/usr/bin/xapian-replicate-server", "--interface", "127.0.0.1", "--port", String(port), master], port: port)
        defer { server.stop() }
        let replica = directory.url.appendingPathComponent("replica").path
        let arguments = ["replicate", "--from", "127.0.0.1:\(port)", "--index", replica, "--once"]

        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.hasPrefix("published \(revision ?? "?") (2 shards) in "), "\(first.standardOutput)")
        let again = try CommandRunner.run(arguments)
        #expect(again.standardOutput == "up to date: \(revision ?? "?") at \(replica)\n")

        let search = ["search", "产教融合", "--no-daemon", "--json", "--facets", "school", "--limit", "20"]
        let onMaster = try CommandRunner.run(search + ["--index", master])
        let onReplica = try CommandRunner.run(search + ["--index", replica])
        #expect(onReplica.status == 0, "\(onReplica.standardError)")
        #expect(onReplica.standardOutput.replacing(/"took_us":\d+/, with: "") == onMaster.standardOutput.replacing(/"took_us":\d+/, with: ""))

        server.stop()
        let down = try CommandRunner.run(arguments)
        #expect(down.status == 1)
        #expect(down.standardError.contains("from 127.0.0.1:\(port) failed"), "\(down.standardError)")
        let bad = try CommandRunner.run(["replicate", "--from", "localhost", "--once"])
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("--from must be HOST:PORT"), "\(bad.standardError)")
    }
}
