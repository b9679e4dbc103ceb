#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An HTTP/1.1 response as received.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whether the body came with `Transfer-Encoding: chunked`.
    public var wasChunked: Bool

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw UnixHTTPClient.Failure("the body is not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// `error.code` of an error body.
    public var errorCode: String? {
        ((try? json())?["error"] as? [String: Any])?["code"] as? String
    }
}

/// A small, blocking HTTP/1.1 client over a Unix domain socket: the `anli`
/// commands' way to the daemon, the tests' way to talk to a real daemon as
/// curl would (keep-alive, Content-Length and chunked responses, raw access
/// to send partial or malformed requests), and the load generator's
/// (`anli bench-load`), which is why reading reuses one buffer instead of
/// allocating per read.
///
/// ```swift
/// let client = try UnixHTTPClient(socketPath: path)
/// let response = try client.get("/v1/search?q=%E4%BA%A7%E6%95%99")
/// ```
public final class UnixHTTPClient: @unchecked Sendable {
    // @unchecked: not thread-safe; a client is used by one thread at a time
    // (tests hand each connection to its own thread).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    private var descriptor: Int32
    /// Received bytes not yet consumed: `buffer[consumed...]`.
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var chunk = [UInt8](repeating: 0, count: 65536)

    /// Connects; `timeout` bounds every later read and write.
    public init(socketPath: String, timeout: Double = 10) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure("socket path too long: \(socketPath)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let message = String(cString: strerror(errno))
            closeDescriptor(descriptor)
            throw Failure("connect(\(socketPath)): \(message)")
        }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: .init((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        // A write to a socket the server closed must fail, not kill the test run.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { close() }

    public func close() {
        if descriptor >= 0 {
            closeDescriptor(descriptor)
            descriptor = -1
        }
    }

    // MARK: - Requests

    /// Sends a request and reads its response on this connection.
    public func request(_ method: String = "GET", _ target: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: anli\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
        return try readResponse(streamingBody: nil, bodyless: method == "HEAD")
    }

    public func get(_ target: String) throws -> HTTPResponse { try request("GET", target) }

    /// One request on a new connection.
    public static func get(_ socketPath: String, _ target: String) throws -> HTTPResponse {
        let client = try UnixHTTPClient(socketPath: socketPath)
        return try client.get(target)
    }

    /// Writes raw bytes: a partial request, a malformed one, anything.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure("write: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads whatever arrives until the server closes the connection (or
    /// the timeout), without parsing it.
    public func readUntilClosed() throws -> [UInt8] {
        while try fill() {}
        return take(buffer.count - consumed)
    }

    /// Whether the server has closed (or shut down) its end, asked without
    /// reading: a client that must not drain what the server sent (to keep
    /// the server's writes stalled) can still see the connection end.
    public func peerHasClosed() -> Bool {
        #if os(Linux)
        let hangUp = Int16(POLLHUP) | Int16(POLLERR) | Int16(0x2000)  // 0x2000: POLLRDHUP
        var entry = pollfd(fd: descriptor, events: Int16(0x2000), revents: 0)
        #else
        let hangUp = Int16(POLLHUP) | Int16(POLLERR)
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        #endif
        guard poll(&entry, 1, 0) >= 0 else { return true }
        return entry.revents & hangUp != 0
    }

    /// Whether the server has closed the connection (reads end of file).
    public func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, 0)
        if count > 0 {
            compact()
            buffer.append(byte)
        }
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Reads one response: status line, headers, then a body delimited by
    /// Content-Length, chunked encoding, or the end of the connection.
    public func readResponse() throws -> HTTPResponse {
        try readResponse(streamingBody: nil)
    }

    /// Reads a response; with `streamingBody`, the body of a 200 is handed
    /// over piece by piece as it arrives instead of being kept (an export
    /// of every unit need not fit in memory), and the response's `body` is
    /// empty. Other statuses keep their (error) body.
    /// `bodyless`: the answer to a HEAD, whose Content-Length is the GET's
    /// and no body follows.
    public func readResponse(streamingBody: (([UInt8]) throws -> Void)?, bodyless: Bool = false) throws -> HTTPResponse {
        let headText = try readHead()
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw Failure("bad status line in \(headText.prefix(100))")
        }
        let headers = lines.filter { !$0.isEmpty }.map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (String(line[..<colon]), line[colon...].dropFirst().trimmingCharacters(in: .whitespaces))
        }
        var response = HTTPResponse(status: status, headers: headers, body: [], wasChunked: false)
        let stream = status == 200 ? streamingBody : nil
        func keep(_ bytes: [UInt8]) throws {
            if let stream { try stream(bytes) } else { response.body += bytes }
        }
        if bodyless {
            return response
        }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            response.wasChunked = true
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0].trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw Failure("bad chunk size line '\(sizeLine)'")
                }
                if size == 0 {
                    while try !readLine().isEmpty {}  // trailers
                    break
                }
                try keep(try readBytes(size))
                guard try readLine().isEmpty else { throw Failure("chunk not followed by CRLF") }
            }
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            try keep(try readBytes(length))
        } else {
            try keep(try readUntilClosed())
        }
        return response
    }

    // MARK: - Buffered reading

    /// Reads more bytes; false at the end of the connection.
    private func fill() throws -> Bool {
        let descriptor = descriptor
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure("timed out waiting for the server") }
            if errno == ECONNRESET { return false }
            throw Failure("read: \(String(cString: strerror(errno)))")
        }
        if count == 0 { return false }
        compact()
        buffer += chunk[..<count]
        return true
    }

    /// Drops consumed bytes before appending, so the buffer does not grow
    /// with every response on a long keep-alive connection.
    private func compact() {
        guard consumed > 0 else { return }
        buffer.removeFirst(consumed)
        consumed = 0
    }

    /// The next `count` unconsumed bytes.
    private func take(_ count: Int) -> [UInt8] {
        let bytes = Array(buffer[consumed..<(consumed + count)])
        consumed += count
        return bytes
    }

    private func readHead() throws -> String {
        let terminator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let range = firstRange(of: terminator) {
                let head = String(decoding: buffer[consumed..<range.lowerBound], as: UTF8.self)
                consumed = range.upperBound
                return head
            }
            guard try fill() else { throw Failure("the server closed the connection before a complete response head") }
        }
    }

    private func readLine() throws -> String {
        while true {
            if let range = firstRange(of: [13, 10]) {
                let line = String(decoding: buffer[consumed..<range.lowerBound], as: UTF8.self)
                consumed = range.upperBound
                return line
            }
            guard try fill() else { throw Failure("the server closed the connection in the middle of a line") }
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - consumed < count {
            guard try fill() else { throw Failure("the server closed the connection after \(buffer.count - consumed) of \(count) body bytes") }
        }
        return take(count)
    }

    /// Where `needle` first occurs in the unconsumed bytes (indices into `buffer`).
    private func firstRange(of needle: [UInt8]) -> Range<Int>? {
        guard buffer.count - consumed >= needle.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes in
            var start = consumed
            while start <= bytes.count - needle.count {
                if bytes[start] == needle[0] {
                    var offset = 1
                    while offset < needle.count, bytes[start + offset] == needle[offset] { offset += 1 }
                    if offset == needle.count { return start..<(start + needle.count) }
                }
                start += 1
            }
            return nil
        }
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #else
    _ = Darwin.close(descriptor)
    #endif
}

/// `?name=value&…` with every name and value form-encoded, in order; "" for
/// no parameters.
public func formQuery(_ parameters: [(String, String)]) -> String {
    parameters.isEmpty ? "" : "?" + parameters.map { formEncoded($0.0) + "=" + formEncoded($0.1) }.joined(separator: "&")
}

/// A path of segments, each percent-encoded (a unit id's slashes separate
/// segments: `/v1/units/gz-2024/case/1-12`).
public func encodedPath(_ segments: [String]) -> String {
    segments.map(formEncoded).joined(separator: "/")
}

/// Percent-encodes a query parameter value as a form would.
public func formEncoded(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    // alphanumerics includes non-ASCII letters: encode everything non-ASCII.
    return value.unicodeScalars.map { scalar in
        scalar.isASCII && allowed.contains(scalar) ? String(scalar) : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
    }.joined()
}
