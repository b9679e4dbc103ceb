import ArgumentParser
import Foundation
import Logging
import SearchIndex
import SearchServer
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the index over HTTP/JSON on a Unix socket (API v1, docs/API.md).",
        discussion: """
            The socket is --socket, else $ANLI_SOCKET, else $XDG_RUNTIME_DIR/anli.sock \
            when XDG_RUNTIME_DIR is set, else anli.sock inside the index directory. \
            Its directory is created when missing; its mode is 0600 (owner only) \
            unless --socket-mode says otherwise. A stale socket left by a crashed \
            daemon is replaced; a live daemon on the same path, or a path that is \
            not a socket, is refused.

            After `anli index` rebuilds the index, the daemon serves the new \
            revision without a restart (checked on the next request); SIGHUP or \
            `POST /v1/reload` force the check. SIGTERM or SIGINT: stop accepting, \
            finish requests in flight, remove the socket, exit 0.

            Example:
              anli serve &
              curl --unix-socket index/anli.sock -G http://anli/v1/search --data-urlencode q=产教融合 -d facets=school,year
            """
    )

    @Option(help: "The index directory (default: $ANLI_INDEX, else index).")
    var index = defaultIndexDirectory

    @Option(help: "The Unix socket path (default: see above).")
    var socket: String?

    @Option(help: "The socket's permission bits, in octal: 0600 owner only, 0660 with the group.")
    var socketMode = "0600"

    @Option(help: "Also listen on TCP at 127.0.0.1:PORT (loopback only): the search page for a browser at http://127.0.0.1:PORT/, and the API.")
    var http: String?

    @Option(help: "Worker threads, each with its own searcher (default: one per core).")
    var workers: Int?

    @Option(help: "Bytes of recent totals and facet counts each worker keeps, so that the next page or the same query again is not counted again (0: count every request).")
    var countCache = Searcher.defaultCountCacheBytes

    @Option(help: "Seconds a remote shard (a `remote HOST:PORT` line of the index's stub) may take to answer one call; then the request gets 503 shard_unavailable.")
    var shardTimeout = 5.0

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func validate() throws {
        guard let mode = mode_t(socketMode, radix: 8), mode & ~0o777 == 0, mode & 0o600 == 0o600 else {
            throw ValidationError("--socket-mode must be octal permission bits that let the owner read and write, e.g. 0600 or 0660, not '\(socketMode)'")
        }
        if let http { _ = try Self.parseHTTP(http) }
        if let workers, !(1...256).contains(workers) { throw ValidationError("--workers must be between 1 and 256") }
        if countCache < 0 { throw ValidationError("--count-cache must be 0 or more bytes") }
        if !(0.001...3600).contains(shardTimeout) { throw ValidationError("--shard-timeout must be between 0.001 and 3600 seconds, not \(shardTimeout)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    static func parseHTTP(_ text: String) throws -> (host: String, port: Int) {
        guard let (host, port) = hostAndPort(text) else {
            throw ValidationError("--http takes HOST:PORT, e.g. 127.0.0.1:8080, not '\(text)'")
        }
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("--http listens on loopback only (127.0.0.1, ::1 or localhost), not \(host): the API has no authentication; use the Unix socket to share it")
        }
        return (host, port)
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "anli.serve")
        let indexURL = URL(fileURLWithPath: index).standardizedFileURL
        // Absolute, so that the printed curl example works from anywhere.
        let socketPath = URL(fileURLWithPath: DaemonSocket.path(explicit: socket, index: index)).standardizedFileURL.path
        var configuration = ServerConfiguration(index: indexURL, socketPath: socketPath)
        configuration.socketMode = mode_t(socketMode, radix: 8) ?? 0o600
        configuration.http = try http.map(Self.parseHTTP)
        if let workers { configuration.workers = workers }
        configuration.countCacheBytes = countCache
        configuration.shardTimeout = .milliseconds(Int64((shardTimeout * 1000).rounded()))
        let server = SearchServer(configuration: configuration, logger: logger) { ready in
            let example = "curl --unix-socket \(shellQuoted(ready.socketPath)) 'http://anli/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&facets=school,year,kind&limit=3'"
            var line = "anli: serving \(index) (\(ready.revision ?? "no index yet")) on \(ready.socketPath)"
            if let http = ready.http { line += " and \(http)" }
            line += "; try: \(example)"
            if let http = ready.http { line += "\nanli: the search page: open \(http)/ in a browser" }
            // Unbuffered, so that a script reading our output sees it at once.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        // Trap the signals before the server starts: once the ready line is
        // out, a SIGTERM must stop it gracefully, never kill it.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    for await signal in signals {
                        if signal == .sighup {
                            logger.info("SIGHUP: checking for a new index revision")
                            await server.reload()
                        } else {
                            logger.info("\(signal): shutting down")
                            await group.triggerGracefulShutdown()
                        }
                    }
                }
                // The server stopped (or failed): stop listening for signals.
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch let error as ServerError {
            printError("anli serve: \(error.message)")
            throw ExitCode(2)
        } catch let error as ServiceGroupError {
            printError("anli serve: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Where the daemon's socket is: `--socket`, else `ANLI_SOCKET`, else
/// `$XDG_RUNTIME_DIR/anli.sock`, else `anli.sock` in the index directory.
enum DaemonSocket {
    static func path(explicit: String?, index: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit, !explicit.isEmpty { return explicit }
        if let socket = environment["ANLI_SOCKET"], !socket.isEmpty { return socket }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/anli.sock" }
        return (index as NSString).appendingPathComponent("anli.sock")
    }
}

func shellQuoted(_ text: String) -> String {
    text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// `HOST:PORT` (`[IPv6]:PORT`) split in two; nil without a host or a port
/// in 0…65535.
func hostAndPort(_ text: String) -> (host: String, port: Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
        return nil
    }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    return host.isEmpty ? nil : (host, port)
}
