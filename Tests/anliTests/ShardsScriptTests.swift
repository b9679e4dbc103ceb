import AnliTestSupport
import Foundation
import Testing

/// `tools/shards`, the documented way to move shards to other hosts: copy
/// each shard of a sharded build to its place, serve each with
/// `tools/shards serve` (xapian-tcpsrv), describe them with
/// `tools/shards stub`; `anli search` over the description answers as over
/// the build itself. Loopback and local directories stand in for hosts.
@Suite struct ShardsScriptTests {
    @Test func copiedAndServedShardsAnswerAsTheBuild() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index").path
        let build = try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", index, "--shards", "2"])
        #expect(build.status == 0, "\(build.standardError)")
        let script = Repository.root.appendingPathComponent("tools/shards").path
        let hosts = (0..<2).map { directory.url.appendingPathComponent("host-\($0)/srv/anli/shard").path }

        let copy = try Self.run([script, "copy", index] + hosts)
        #expect(copy.status == 0, "\(copy.output)")
        #expect(hosts.allSatisfy { FileManager.default.fileExists(atPath: $0 + "/iamglass") })
        // Fewer destinations than shards: refused, nothing half-copied.
        let short = try Self.run([script, "copy", index, hosts[0]])
        #expect(short.status == 2)
        #expect(short.output.contains("has 2 shards; give 2 destinations"), "\(short.output)")

        let servers = try hosts.map { host in
            let port = try ShardServer.freePort()
            return try ShardServer(command: [script, "serve", host, String(port)], port: port)
        }
        defer { for server in servers { server.stop() } }
        let remote = directory.url.appendingPathComponent("remote").path
        let stub = try Self.run([script, "stub", remote] + servers.map { "127.0.0.1:\($0.port)" })
        #expect(stub.status == 0, "\(stub.output)")

        for query in ["产教融合", "生师比", "学校"] {
            let arguments = ["search", query, "--no-daemon", "--json", "--facets", "school,kind", "--limit", "20"]
            let expected = try CommandRunner.run(arguments + ["--index", index])
            let actual = try CommandRunner.run(arguments + ["--index", remote])
            #expect(actual.status == 0, "\(actual.standardError)")
            #expect(Self.withoutTime(actual.standardOutput) == Self.withoutTime(expected.standardOutput), "\(query)")
        }
    }

    static func withoutTime(_ json: String) -> String {
        json.replacing(/"took_us":\d+/, with: "\"took_us\":0")
    }

    /// Runs a script; its status and its output and errors together.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
