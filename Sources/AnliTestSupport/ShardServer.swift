import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `xapian-tcpsrv` serving one database on a free loopback port, in a
/// process group of its own: it forks a process per connection, and
/// stopping the server must stop those too (SIGKILL: it ignores SIGTERM).
public final class ShardServer {
    public let port: Int
    private let pid: pid_t

    public convenience init(database: URL, port: Int? = nil) throws {
        let port = try port ?? Self.freePort()
        try self.init(
            command: ["/usr/bin/xapian-tcpsrv", "--interface", "127.0.0.1", "--port", String(port), "--idle-timeout", "0", "--quiet", database.path],
            port: port)
    }

    /// Runs `command` (its first element a path), which must end up
    /// listening on 127.0.0.1:`port` (`tools/shards serve` does).
    public init(command arguments: [String], port: Int) throws {
        self.port = port
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        // Each connection closed without a word (the readiness probe below,
        // a killed client) makes the server print "Got exception
        // NetworkError … Broken pipe"; what matters reaches the client.
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, arguments[0], &actions, &attributes, &argv, environ)
        guard status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot start xapian-tcpsrv: \(String(cString: strerror(status)))"])
        }
        pid = child
        // Ready when it accepts a connection.
        let deadline = Date().addingTimeInterval(20)
        while !Self.accepts(self.port) {
            guard Date() < deadline, kill(pid, 0) == 0 else {
                stop()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "xapian-tcpsrv did not listen on \(self.port)"])
            }
            usleep(20_000)
        }
    }

    private var stopped = false

    /// Kills the server and the processes serving its connections.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// Stops the server and its connections' processes where they are
    /// (SIGSTOP): connections stay open and calls wait, as with a server
    /// that hangs.
    public func pause() { kill(-pid, SIGSTOP) }

    /// Lets a paused server go on.
    public func resume() { kill(-pid, SIGCONT) }

    /// A port that was free a moment ago (the kernel's choice for port 0).
    public static func freePort() throws -> Int {
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

    public static func accepts(_ port: Int) -> Bool {
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
