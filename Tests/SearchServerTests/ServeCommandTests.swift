import AnliTestSupport
import Foundation
import NIOCore
import SearchIndex
import SearchServer
import Testing

/// `anli serve` as a user runs it: the built binary, signals, socket files.
@Suite struct ServeCommandTests {
    /// A temporary directory with an index built from the repository's corpus.
    static func indexed() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "anli-serve")
        _ = try IndexBuilder(corpus: Repository.corpus, index: directory.url.appendingPathComponent("index")).build()
        return directory
    }

    @Test func sigtermStopsGracefullyRemovesTheSocketAndExitsZero() async throws {
        let directory = try Self.indexed()
        let socket = directory.path + "/run/anli.sock"
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try serve.waitUntilServing(socket)
        let ready = serve.standardOutput
        #expect(ready.contains("on \(socket)"))
        #expect(ready.contains("curl --unix-socket \(socket) 'http://anli/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88"))
        #expect(ready.split(separator: "\n").count == 1, "one ready line")
        // The printed example works.
        let example = try UnixHTTPClient.get(socket, "/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&facets=school,year,kind&limit=3")
        #expect(example.status == 200)
        #expect(example.hits.count == 3)
        // Owner only, by default.
        #expect(try Self.mode(socket) == 0o600)
        #expect(try Self.mode(directory.path + "/run") & 0o077 == 0, "the created directory is private too")
        let status = try serve.stop(SIGTERM)
        #expect(status == 0, "\(serve.standardError)")
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func sigintToo() async throws {
        let directory = try Self.indexed()
        let socket = directory.path + "/anli.sock"
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try serve.waitUntilServing(socket)
        let status = try serve.stop(SIGINT)
        #expect(status == 0, "\(serve.standardError)")
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func sighupPicksUpARebuiltIndexWithoutARequest() async throws {
        let directory = try Self.indexed()
        let socket = directory.path + "/anli.sock"
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try serve.waitUntilServing(socket)
        let rebuilt = try IndexBuilder(corpus: Repository.corpus, index: directory.url.appendingPathComponent("index")).build()
        #expect(!serve.standardError.contains(rebuilt.revision))
        serve.signal(SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while !serve.standardError.contains("revision=\(rebuilt.revision)"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(serve.standardError.contains("revision=\(rebuilt.revision)"), "\(serve.standardError)")
        let stats = try UnixHTTPClient.get(socket, "/v1/stats").json()
        #expect(stats["revision"] as? String == rebuilt.revision)
        try serve.expectCleanStop(SIGTERM)
    }

    @Test func aSecondDaemonOnTheSamePathIsRefused() async throws {
        let directory = try Self.indexed()
        let socket = directory.path + "/anli.sock"
        let first = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try first.waitUntilServing(socket)
        let second = try CommandRunner.run(["serve", "--index", directory.path + "/index", "--socket", socket])
        #expect(second.status == 2)
        #expect(second.standardError.contains("already serving on \(socket)"))
        // The first one keeps its socket and keeps answering.
        #expect(try UnixHTTPClient.get(socket, "/v1/health").status == 200)
        try first.expectCleanStop(SIGTERM)
    }

    @Test func aStaleSocketIsReplaced() async throws {
        let directory = try Self.indexed()
        let socket = directory.path + "/anli.sock"
        try Self.makeStaleSocket(socket)
        #expect(!UnixSocketFile.isAnswering(socket))
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try serve.waitUntilServing(socket)
        #expect(try UnixHTTPClient.get(socket, "/v1/health").status == 200)
        try serve.expectCleanStop(SIGTERM)
    }

    @Test(arguments: ["file", "directory", "symlink"])
    func aPathThatIsNotASocketIsRefusedAndLeftAlone(kind: String) async throws {
        let directory = try Self.indexed()
        let path = directory.path + "/anli.sock"
        switch kind {
        case "file": try directory.write("anli.sock", "precious")
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        default: try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: directory.path + "/elsewhere")
        }
        let result = try CommandRunner.run(["serve", "--index", directory.path + "/index", "--socket", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("not a socket"), "\(result.standardError)")
        #expect((try? FileManager.default.attributesOfItem(atPath: path)) != nil, "never deleted")
        if kind == "file" { #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious") }
    }

    @Test func aDirectoryEveryoneMayWriteToIsRefusedUnlessSticky() async throws {
        let directory = try Self.indexed()
        let open = directory.path + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        #expect(chmod(open, 0o777) == 0)
        let refused = try CommandRunner.run(["serve", "--index", directory.path + "/index", "--socket", open + "/anli.sock"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("writable by everyone"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: open + "/anli.sock"))
        // Sticky, like /tmp: nobody can remove another's socket there.
        let sticky = directory.path + "/sticky"
        try FileManager.default.createDirectory(atPath: sticky, withIntermediateDirectories: false)
        #expect(chmod(sticky, 0o1777) == 0)
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", sticky + "/anli.sock"])
        try serve.waitUntilServing(sticky + "/anli.sock")
        #expect(try UnixHTTPClient.get(sticky + "/anli.sock", "/v1/health").status == 200)
        try serve.expectCleanStop(SIGTERM)
    }

    @Test func socketModeAndDefaultPaths() async throws {
        let directory = try Self.indexed()
        // --socket-mode 0660 shares with the group.
        let shared = directory.path + "/shared.sock"
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", shared, "--socket-mode", "0660"])
        try serve.waitUntilServing(shared)
        #expect(try Self.mode(shared) == 0o660)
        try serve.expectCleanStop(SIGTERM)
        // ANLI_SOCKET, then XDG_RUNTIME_DIR, then index/anli.sock.
        let fromEnvironment = directory.path + "/env.sock"
        let cases: [([String: String], String)] = [
            (["ANLI_SOCKET": fromEnvironment, "XDG_RUNTIME_DIR": directory.path + "/xdg"], fromEnvironment),
            (["XDG_RUNTIME_DIR": directory.path + "/xdg"], directory.path + "/xdg/anli.sock"),
            ([:], directory.path + "/index/anli.sock"),
        ]
        for (environment, expected) in cases {
            let process = try ServeProcess(["serve", "--index", directory.path + "/index"], environment: environment)
            try process.waitUntilServing(expected)
            #expect(process.standardOutput.contains(expected))
            let status = try process.stop(SIGTERM)
            #expect(status == 0, "\(expected): \(process.standardError)")
        }
        let bad = try CommandRunner.run(["serve", "--index", directory.path + "/index", "--socket-mode", "0644x"])
        #expect(bad.status != 0)
    }

    @Test func httpListensOnLoopbackOnly() async throws {
        let directory = try Self.indexed()
        let refused = try CommandRunner.run(["serve", "--index", directory.path + "/index", "--socket", directory.path + "/a.sock", "--http", "0.0.0.0:8080"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("loopback only"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/a.sock"))
    }

    // MARK: - Helpers

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// A socket file nobody listens on, as a crashed daemon leaves it.
    static func makeStaleSocket(_ path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(descriptor)
        guard bound == 0 else { throw UnixHTTPClient.Failure("bind \(path) failed") }
    }
}

/// `anli serve` running in the background, its output captured in files.
final class ServeProcess {
    let process = Process()
    let scratch: TemporaryDirectory

    init(_ arguments: [String], environment: [String: String]? = nil) throws {
        scratch = try TemporaryDirectory(prefix: "anli-serve-out")
        _ = FileManager.default.createFile(atPath: scratch.path + "/stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.path + "/stderr", contents: nil)
        process.executableURL = Repository.productsDirectory.appendingPathComponent("anli")
        process.arguments = arguments
        if let environment {
            var base = ProcessInfo.processInfo.environment
            base["ANLI_SOCKET"] = nil
            base["XDG_RUNTIME_DIR"] = nil
            process.environment = base.merging(environment) { $1 }
        }
        process.standardOutput = try FileHandle(forWritingTo: scratch.url.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: scratch.url.appendingPathComponent("stderr"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    var standardOutput: String { (try? String(contentsOfFile: scratch.path + "/stdout", encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: scratch.path + "/stderr", encoding: .utf8)) ?? "" }

    /// Waits until the daemon answers on `socket` and has printed its ready line.
    func waitUntilServing(_ socket: String, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else { throw UnixHTTPClient.Failure("anli serve exited (\(process.terminationStatus)): \(standardError)") }
            if UnixSocketFile.isAnswering(socket), standardOutput.hasSuffix("\n") { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw UnixHTTPClient.Failure("anli serve did not answer on \(socket) within \(timeout) s: \(standardError)")
    }

    /// Stops with `signal` and expects exit status 0.
    func expectCleanStop(_ signal: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let status = try stop(signal)
        #expect(status == 0, "exit status \(status); stderr: \(standardError)", sourceLocation: sourceLocation)
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Sends `signal` and returns the exit status.
    func stop(_ signal: Int32, timeout: TimeInterval = 30) throws -> Int32 {
        self.signal(signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else { throw UnixHTTPClient.Failure("anli serve did not stop within \(timeout) s") }
        // A death by signal shows as the signal number with reason
        // .uncaughtSignal: report it as 128 + signal, as a shell would.
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}
