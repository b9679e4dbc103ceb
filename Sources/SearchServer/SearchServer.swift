import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SearchIndex
import ServiceLifecycle

// Why SwiftNIO directly and not Hummingbird: the benchmark issue holds the
// daemon to at most 1.5x the latency of an in-process search (~150-250 µs
// for a top-10 search with snippets here). Measured on this kind of machine,
// a trivial handler answers in ~16 µs p50 over a Unix socket with raw
// NIOHTTP1 and ~65 µs with Hummingbird: the framework alone would spend a
// third of the budget. Our API is eight fixed routes, so a router buys
// little.

/// How the daemon listens and what it protects itself with.
public struct ServerConfiguration: Sendable {
    /// The index directory (holding `current`).
    public var index: URL
    /// The Unix socket to serve on.
    public var socketPath: String
    /// Who may connect: 0600 owner only, 0660 a group too.
    public var socketMode: mode_t = 0o600
    /// Optional loopback TCP listener (`127.0.0.1:PORT`).
    public var http: (host: String, port: Int)?
    /// Worker threads, each using its own `Searcher`.
    public var workers = System.coreCount
    /// Request line plus headers; larger → 431 and the connection is closed.
    public var maximumHeadBytes = 16 * 1024
    /// Request bodies (the search routes' JSON parameters); larger → 413.
    public var maximumBodyBytes = 64 * 1024
    /// A connection silent this long while the server waits for it is closed.
    public var idleTimeout: TimeAmount = .seconds(10)
    /// A client that reads nothing of its answer for this long, while the
    /// answer waits to be written (an export it stopped reading), is closed.
    public var stalledReaderTimeout: TimeAmount = .seconds(30)
    /// Bytes of recent totals and facet counts each worker's searcher keeps
    /// (see `Searcher.defaultCountCacheBytes`); 0 counts every request.
    public var countCacheBytes = Searcher.defaultCountCacheBytes
    /// A request whose search takes longer gets 503 `timeout`.
    public var requestTimeLimit: TimeAmount = .seconds(10)
    /// How long a remote shard may take to answer one call before the
    /// request gets 503 `shard_unavailable`.
    public var shardTimeout = Searcher.defaultShardTimeout
    /// How often a request may re-read `index/current`.
    public var reloadCheckInterval: TimeAmount = .milliseconds(100)

    public init(index: URL, socketPath: String) {
        self.index = index
        self.socketPath = socketPath
    }
}

/// The query daemon: HTTP/1.1 with JSON over a Unix socket (API v1, see
/// docs/API.md), run as a `Service` so that SIGTERM/SIGINT stop it
/// gracefully: stop accepting, finish requests in flight, remove the socket.
///
/// ```swift
/// let server = SearchServer(configuration: .init(index: indexURL, socketPath: "/run/user/1000/anli.sock"), logger: logger)
/// let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public final class SearchServer: Service, Sendable {
    public struct Ready: Sendable {
        public var socketPath: String
        public var http: String?
        public var revision: String?
    }

    public let configuration: ServerConfiguration
    let logger: Logger
    let onReady: @Sendable (Ready) -> Void
    let pool: SearcherPool
    let counters = ServerCounters()
    let connections = ConnectionRegistry()

    public init(configuration: ServerConfiguration, logger: Logger, onReady: @escaping @Sendable (Ready) -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onReady = onReady
        self.pool = SearcherPool(
            directory: configuration.index, threads: configuration.workers, countCacheBytes: configuration.countCacheBytes,
            shardTimeout: configuration.shardTimeout, checkInterval: configuration.reloadCheckInterval, logger: logger)
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// A connection on its way from the listener to its task. NIO drops a
    /// connection accepted while the listener closes (a graceful shutdown);
    /// an NIOAsyncChannel released without finishing its writer is a fatal
    /// error, so one that was never taken finishes and closes itself.
    final class AcceptedConnection: Sendable {
        private let connection: Connection
        private let taken = NIOLockedValueBox(false)

        init(_ connection: Connection) { self.connection = connection }

        func take() -> Connection {
            taken.withLockedValue { $0 = true }
            return connection
        }

        deinit {
            if !taken.withLockedValue({ $0 }) {
                connection.outbound.finish()
                connection.channel.close(promise: nil)
            }
        }
    }

    public func run() async throws {
        if let http = configuration.http, !Self.isLoopback(http.host) {
            throw ServerError(.httpAddress, "--http must be a loopback address (127.0.0.1, ::1 or localhost), not \(http.host): the daemon has no authentication")
        }
        let path = configuration.socketPath
        try UnixSocketFile.prepare(path)
        pool.start()
        // Open the index early: a missing index is reported at start, but the
        // daemon still starts and answers 503 until it appears.
        let revision = try? await pool.run(timeLimit: .seconds(60), on: MultiThreadedEventLoopGroup.singleton.next()) { $0.info.revision }
        if revision == nil { logger.warning("no usable index yet; answering 503 until `anli index` builds one", metadata: ["index": "\(configuration.index.path)"]) }

        let group = MultiThreadedEventLoopGroup.singleton
        // Bind with a umask that leaves only the owner's bits, so nobody can
        // connect before chmod sets the requested mode. (The umask is
        // per process; it is restored right after the bind.)
        let unixChannel: NIOAsyncChannel<AcceptedConnection, Never>
        let previousUmask = umask(0o177)
        do {
            unixChannel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false) { channel in
                    channel.eventLoop.makeCompletedFuture { try self.configure(channel) }
                }
            umask(previousUmask)
        } catch {
            umask(previousUmask)
            await pool.shutdown()
            throw ServerError(.bind, "cannot listen on \(path): \(error)")
        }
        let identity: (dev_t, ino_t)?
        do {
            try UnixSocketFile.setMode(path, configuration.socketMode)
            identity = UnixSocketFile.identity(path)
        } catch {
            try? await unixChannel.channel.close()
            await pool.shutdown()
            throw error
        }
        var listeners = [unixChannel]
        var httpDescription: String?
        if let http = configuration.http {
            do {
                let tcp = try await ServerBootstrap(group: group)
                    .serverChannelOption(.backlog, value: 256)
                    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: http.host, port: http.port) { channel in
                        channel.eventLoop.makeCompletedFuture { try self.configure(channel) }
                    }
                httpDescription = tcp.channel.localAddress.map { "http://\($0.ipAddress ?? http.host):\($0.port ?? http.port)" }
                listeners.append(tcp)
            } catch {
                try? await unixChannel.channel.close()
                UnixSocketFile.remove(path, ifIdentity: identity)
                await pool.shutdown()
                throw ServerError(.bind, "cannot listen on \(http.host):\(http.port): \(error)")
            }
        }
        logger.info("listening", metadata: ["socket": "\(path)", "http": "\(httpDescription ?? "off")", "workers": "\(pool.threadPoolSize)"])
        onReady(Ready(socketPath: path, http: httpDescription, revision: revision))

        let channels = listeners.map(\.channel)
        defer { UnixSocketFile.remove(path, ifIdentity: identity) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for listener in listeners {
                    group.addTask { await self.accept(listener) }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("shutting down: no new connections, finishing requests in flight")
            // Stop accepting; the socket file goes right away so that a
            // client tries the index directly instead of a dying daemon.
            for channel in channels { channel.close(promise: nil) }
            self.connections.shutDown()
        }
        await pool.shutdown()
        logger.info("stopped")
    }

    /// Checks `index/current` now and serves a new revision from the next
    /// request on, as `POST /v1/reload` does (the executable calls this on
    /// SIGHUP). Returns the revision served, nil without a usable index.
    @discardableResult
    public func reload() async -> String? {
        try? await pool.run(timeLimit: .seconds(60), on: MultiThreadedEventLoopGroup.singleton.next(), forceCheck: true) { $0.info.revision }
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    // MARK: - Connections

    /// The accept loop (swift-nio's NIOTCPEchoServer): one child task per
    /// connection. Discarding, because connection tasks finish on their own
    /// and nothing reads their results: a plain task group would keep every
    /// finished connection's result until the server stops. The group
    /// returns once the listener is closed AND every connection has ended,
    /// which is what a graceful shutdown waits for.
    private func accept(_ listener: NIOAsyncChannel<AcceptedConnection, Never>) async {
        await withDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { inbound in
                    for try await accepted in inbound {
                        let connection = accepted.take()
                        // See EventLoopTaskExecutor: the connection's task
                        // stays on its event loop.
                        let executor = EventLoopTaskExecutor(connection.channel.eventLoop)
                        group.addTask(executorPreference: executor) { await self.serve(connection) }
                    }
                }
            } catch {
                self.logger.debug("listener closed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func configure(_ channel: Channel) throws -> AcceptedConnection {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = configuration.maximumHeadBytes
        limits.maxHeaderFieldSize = configuration.maximumHeadBytes
        limits.maxHeaderFieldCount = 100
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(ProtocolErrorResponder(headLimit: configuration.maximumHeadBytes))
        try pipeline.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
        try pipeline.addHandler(IdleConnectionCloser(timeout: configuration.idleTimeout))
        try pipeline.addHandler(StalledReaderCloser(timeout: configuration.stalledReaderTimeout))
        return AcceptedConnection(try Connection(wrappingChannelSynchronously: channel))
    }

    /// One connection: requests one after another (keep-alive) until the
    /// client closes, asks to close, misbehaves, or the server shuts down.
    /// Errors end this connection only.
    private func serve(_ connection: Connection) async {
        let channel = connection.channel
        let id = connections.register(channel)
        defer { connections.remove(id) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                        connections.setBusy(id, true)
                        if let length = requestHead.headers.first(name: "Content-Length").flatMap(Int.init), length > configuration.maximumBodyBytes {
                            try await write(error: tooLarge(), to: outbound, keepAlive: false)
                            return
                        }
                    case .body(var buffer):
                        if body.count + buffer.readableBytes > configuration.maximumBodyBytes {
                            try await write(error: tooLarge(), to: outbound, keepAlive: false)
                            return
                        }
                        body += buffer.readBytes(length: buffer.readableBytes) ?? []
                    case .end:
                        guard let requestHead = head else { return }
                        head = nil
                        let keepAlive = try await answer(requestHead, body: body, on: channel.eventLoop, to: outbound)
                        body = []
                        guard keepAlive, connections.setBusy(id, false) else { return }
                    }
                }
            }
        } catch {
            // A client that went away, a malformed request (already answered
            // by ProtocolErrorResponder), an idle timeout: only this
            // connection ends.
            logger.trace("connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func tooLarge() -> APIError {
        APIError(.bodyTooLarge, "the request body is larger than \(configuration.maximumBodyBytes) bytes", status: .payloadTooLarge)
    }

    private var api: SearchAPI {
        SearchAPI(pool: pool, timeLimit: configuration.requestTimeLimit, started: started, counters: counters)
    }
    private let started = Date()

    /// Answers one request; returns whether the connection stays open.
    private func answer(_ head: HTTPRequestHead, body: [UInt8], on eventLoop: EventLoop, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        counters.countRequest()
        let keepAlive = head.isKeepAlive && !connections.isShuttingDown
        let response: SearchAPI.Response
        do {
            response = try await api.respond(method: head.method, uri: head.uri, body: body, on: eventLoop)
        } catch {
            try await write(error: APIError(any: error), for: head, to: outbound, keepAlive: keepAlive)
            return keepAlive
        }
        switch response {
        case .json(let status, let bytes):
            try await write(status: status, body: bytes, head: head.method == .HEAD, to: outbound, keepAlive: keepAlive)
            return keepAlive
        case .csv(let bytes):
            try await write(status: .ok, body: bytes, head: head.method == .HEAD, to: outbound, keepAlive: keepAlive, contentType: ExportFormat.csv.contentType)
            return keepAlive
        case .page(let file):
            try await write(status: .ok, body: file.bytes, head: head.method == .HEAD, to: outbound, keepAlive: keepAlive, contentType: file.contentType)
            return keepAlive
        case .export(let request, let format):
            return try await export(request, format: format, on: eventLoop, to: outbound, keepAlive: keepAlive)
        }
    }

    func write(error: APIError, for head: HTTPRequestHead? = nil, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, keepAlive: Bool) async throws {
        if error.isFault {
            logger.error("request failed", metadata: ["uri": "\(head?.uri.prefix(200) ?? "")", "status": "\(error.status.code)", "code": "\(error.code)", "error": "\(error.message)"])
        } else {
            logger.debug("request refused", metadata: ["uri": "\(head?.uri.prefix(200) ?? "")", "status": "\(error.status.code)", "code": "\(error.code)"])
        }
        try await write(status: error.status, body: SearchAPI.errorBody(error), head: head?.method == .HEAD, to: outbound, keepAlive: keepAlive, allow: error.allow)
    }

    private func write(
        status: HTTPResponseStatus, body: [UInt8], head isHead: Bool, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        keepAlive: Bool, allow: String? = nil, contentType: String = "application/json; charset=utf-8"
    ) async throws {
        var headers = HTTPHeaders()
        if let allow { headers.add(name: "Allow", value: allow) }
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        var parts: [HTTPServerResponsePart] = [.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))]
        if !isHead { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
        parts.append(.end(nil))
        try await outbound.write(contentsOf: parts)
    }
}

/// Open connections, so that a graceful shutdown can close the idle ones
/// at once and the busy ones after their response.
final class ConnectionRegistry: Sendable {
    private struct State {
        var next = 0
        var channels: [Int: (channel: Channel, busy: Bool)] = [:]
        var shuttingDown = false
    }

    private let state = NIOLockedValueBox(State())

    var isShuttingDown: Bool { state.withLockedValue { $0.shuttingDown } }

    func register(_ channel: Channel) -> Int {
        let (id, shuttingDown) = state.withLockedValue { state -> (Int, Bool) in
            state.next += 1
            state.channels[state.next] = (channel, false)
            return (state.next, state.shuttingDown)
        }
        if shuttingDown { channel.close(promise: nil) }
        return id
    }

    func remove(_ id: Int) {
        _ = state.withLockedValue { $0.channels.removeValue(forKey: id) }
    }

    /// Marks a connection busy or idle; returns false when an idle one
    /// should close because the server is shutting down.
    @discardableResult
    func setBusy(_ id: Int, _ busy: Bool) -> Bool {
        state.withLockedValue { state in
            state.channels[id]?.busy = busy
            return !(state.shuttingDown && !busy)
        }
    }

    func shutDown() {
        let idle = state.withLockedValue { state -> [Channel] in
            state.shuttingDown = true
            return state.channels.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }
}
