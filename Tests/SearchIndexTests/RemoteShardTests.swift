import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing

/// Shards served by stock `xapian-tcpsrv` processes (Debian's xapian-tools)
/// on loopback, joined by a stub of `remote HOST:PORT` lines, answer as one
/// local database does: ids, order, scores, totals, facets (the servers
/// count them with Xapian's own ValueCountMatchSpy), snippets and units.
/// Related units are not compared yet: over remote shards Xapian's expand
/// set weighs terms differently (issue 14's note).
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
            }
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

/// One `xapian-tcpsrv` serving one database on a free loopback port.
final class ShardServer {
    let port: Int
    private let process: Process

    init(database: URL) throws {
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xapian-tcpsrv")
        process.arguments = ["--interface", "127.0.0.1", "--port", String(port), "--idle-timeout", "0", "--quiet", database.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Ready when it accepts a connection.
        let deadline = Date().addingTimeInterval(20)
        while !Self.accepts(port) {
            guard Date() < deadline, process.isRunning else {
                stop()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "xapian-tcpsrv did not listen on \(port)"])
            }
            usleep(20_000)
        }
    }

    /// SIGKILL: xapian-tcpsrv does not stop on SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A port that was free a moment ago (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no free port"]) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
