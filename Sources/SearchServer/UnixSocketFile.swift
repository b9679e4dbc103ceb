#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The socket file's life: what may be at the path before we bind, and
/// removing it again on shutdown.
public enum UnixSocketFile {
    /// Whether something accepts connections on the socket at `path` (a live
    /// daemon). Used before binding, and by the CLI to choose the daemon.
    public static func isAnswering(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard var address = socketAddress(path) else { return false }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }

    static func socketAddress(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// The longest socket path the system accepts.
    public static var maximumPathLength: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// Makes `path` ready for a new socket: creates its directory (0700),
    /// refuses a directory everyone may write to unless it is sticky,
    /// replaces a stale socket (one nobody answers on), and refuses a live
    /// daemon's socket or anything that is not a socket, such as a symbolic
    /// link planted there (never deleted or followed).
    static func prepare(_ path: String) throws(ServerError) {
        guard path.utf8.count <= maximumPathLength else {
            throw ServerError(.socketPath, "the socket path \(path) is \(path.utf8.count) bytes long; Unix sockets allow \(maximumPathLength): choose a shorter --socket")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ServerError(.socketPath, "cannot create the socket's directory \(directory): \(error.localizedDescription)")
            }
        }
        // In a directory anyone may write to, anyone could remove our socket
        // and put their own in its place; the sticky bit (/tmp) stops that.
        var directoryStatus = stat()
        if stat(directory.isEmpty ? "." : directory, &directoryStatus) == 0,
           directoryStatus.st_mode & S_IWOTH != 0, directoryStatus.st_mode & S_ISVTX == 0 {
            throw ServerError(.socketPath, "the socket's directory \(directory.isEmpty ? "." : directory) is writable by everyone (mode \(String(directoryStatus.st_mode & 0o7777, radix: 8))) without the sticky bit, so anyone could replace the socket: choose another --socket")
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { return }  // nothing there
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            let what = switch status.st_mode & S_IFMT {
            case S_IFLNK: "a symbolic link"
            case S_IFDIR: "a directory"
            case S_IFREG: "a regular file"
            default: "not a socket"
            }
            throw ServerError(.socketPath, "\(path) exists and is \(what), not a socket; it was left alone: remove it yourself or choose another --socket")
        }
        if isAnswering(path) {
            throw ServerError(.socketInUse, "another anli daemon is already serving on \(path); stop it first (or choose another --socket)")
        }
        // Stale: left by a daemon that died without cleaning up.
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ServerError(.socketPath, "cannot remove the stale socket \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Device and inode of the socket at `path`, to remove only our own.
    static func identity(_ path: String) -> (dev_t, ino_t)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (status.st_dev, status.st_ino)
    }

    /// Removes the socket at `path` if it is still the one we bound.
    static func remove(_ path: String, ifIdentity expected: (dev_t, ino_t)?) {
        guard let expected, let current = identity(path), current == expected else { return }
        unlink(path)
    }

    static func setMode(_ path: String, _ mode: mode_t) throws(ServerError) {
        guard chmod(path, mode) == 0 else {
            throw ServerError(.socketPath, "cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Why the daemon cannot start, with a message that says what to do.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let socketInUse = Code(rawValue: "socket_in_use")
        public static let socketPath = Code(rawValue: "socket_path")
        public static let httpAddress = Code(rawValue: "http_address")
        public static let bind = Code(rawValue: "bind_failed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
