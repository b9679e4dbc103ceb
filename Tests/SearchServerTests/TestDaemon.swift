import AnliTestSupport
import Foundation
import NIOCore
import Logging
import SearchIndex
import SearchServer
import ServiceLifecycle
import Testing

/// A real daemon for one test: a copy of the corpus, its index, and a
/// `SearchServer` listening on a socket in a temporary directory. Tests talk
/// to it with `UnixHTTPClient` over the socket, never by calling handlers.
struct TestDaemon: Sendable {
    let directory: TemporaryDirectory
    let socketPath: String
    var corpusURL: URL { directory.url.appendingPathComponent("corpus") }
    var indexURL: URL { directory.url.appendingPathComponent("index") }

    static let quietLogger = Logger(label: "anli.test") { _ in SwiftLogNoOpLogHandler() }

    /// Starts a daemon, runs `body`, then shuts the daemon down gracefully
    /// and checks that it removed its socket.
    static func with(
        buildIndex: Bool = true,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestDaemon) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "anli-srv")
        let daemon = TestDaemon(directory: directory, socketPath: directory.path + "/run/anli.sock")
        try Repository.copyCorpus(to: daemon.corpusURL)
        if buildIndex { try daemon.rebuild() }
        var configuration = ServerConfiguration(index: daemon.indexURL, socketPath: daemon.socketPath)
        configuration.workers = 2
        configuration.idleTimeout = .seconds(2)
        configure(&configuration)
        let (ready, readyContinuation) = AsyncStream<SearchServer.Ready>.makeStream()
        let server = SearchServer(configuration: configuration, logger: quietLogger) { readyContinuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [server], logger: quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { readyContinuation.finish() }
                try await group.run()
            }
            var iterator = ready.makeAsyncIterator()
            guard await iterator.next() != nil else {
                try await tasks.waitForAll()
                throw UnixHTTPClient.Failure("the daemon stopped before it was ready")
            }
            do {
                try await body(daemon)
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the socket is removed on shutdown")
    }

    /// Builds (or rebuilds) the index from the corpus copy.
    @discardableResult
    func rebuild() throws -> IndexBuilder.Summary {
        try IndexBuilder(corpus: corpusURL, index: indexURL).build()
    }

    /// Adds a chapter to the report, so that a rebuild has new content
    /// ("新增内容", unit gz-2024/section/8).
    func addChapter() throws {
        let report = corpusURL.appendingPathComponent("guangzhou-2024.md")
        try (try String(contentsOf: report, encoding: .utf8) + "\n## 8. 附加章节\n\n新增内容。\n").write(to: report, atomically: true, encoding: .utf8)
    }

    /// One request on a new connection, off the cooperative thread pool
    /// (the client blocks).
    func get(_ target: String) async throws -> HTTPResponse {
        let path = socketPath
        return try await blocking { try UnixHTTPClient.get(path, target) }
    }

    func request(_ method: String, _ target: String, body: [UInt8] = [], headers: [(String, String)] = []) async throws -> HTTPResponse {
        let path = socketPath
        return try await blocking { try UnixHTTPClient(socketPath: path).request(method, target, headers: headers, body: body) }
    }

    /// POST with a JSON body.
    func post(_ target: String, json: String) async throws -> HTTPResponse {
        try await request("POST", target, body: Array(json.utf8), headers: [("Content-Type", "application/json")])
    }

    /// The daemon still answers.
    func expectHealthy(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let health = try await get("/v1/health")
        #expect(health.status == 200, comment, sourceLocation: sourceLocation)
    }
}

/// Runs blocking work on its own thread, so that waiting on a socket never
/// ties up one of the few threads Swift concurrency (and the daemon) runs on.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

extension HTTPResponse {
    var hits: [[String: Any]] { ((try? json())?["hits"] as? [[String: Any]]) ?? [] }
    var total: Int? { (try? json())?["total"] as? Int }
}
