/// The path and the query parameters of a request target, decoded as an HTML
/// form (`application/x-www-form-urlencoded`): `+` and `%20` are spaces.
///
/// Decoded by hand rather than with Foundation's `URLComponents`, which keeps
/// `+` as a literal plus (XAPIAN-NOTES: a `+` is also a query operator, so a
/// form's `q=a+b` must reach the query parser as `a b`), and so that invalid
/// percent-encoding or invalid UTF-8 is an error the caller sees, not a
/// silently mangled query.
///
/// ```swift
/// let target = try RequestTarget("/v1/search?q=%E4%BA%A7%E6%95%99+AI&year=2024")
/// target.path                  // "/v1/search"
/// target.values("q")           // ["产教 AI"]
/// ```
struct RequestTarget: Sendable, Equatable {
    var path: String
    /// In the order given; a name may repeat.
    var parameters: [(name: String, value: String)]

    static func == (lhs: RequestTarget, rhs: RequestTarget) -> Bool {
        lhs.path == rhs.path && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }

    /// A target already decoded (a request made in process).
    init(path: String, parameters: [(name: String, value: String)]) {
        self.path = path
        self.parameters = parameters
    }

    init(_ uri: String) throws(APIError) {
        let bytes = Array(uri.utf8)
        let questionMark = bytes.firstIndex(of: UInt8(ascii: "?"))
        let pathBytes = bytes[..<(questionMark ?? bytes.endIndex)]
        // In a path `+` is a plus; ids never contain one, but be exact.
        path = try Self.decode(pathBytes, plusIsSpace: false, what: "the path")
        parameters = []
        guard let questionMark else { return }
        let query = bytes[(questionMark + 1)...]
        for pair in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let rawName = pair[..<(equals ?? pair.endIndex)]
            let rawValue = equals.map { pair[($0 + 1)...] } ?? pair[pair.endIndex...]
            let name = try Self.decode(rawName, plusIsSpace: true, what: "a parameter name")
            let value = try Self.decode(rawValue, plusIsSpace: true, what: "parameter '\(name)'")
            parameters.append((name, value))
        }
    }

    /// Every value of `name`, in order.
    func values(_ name: String) -> [String] {
        parameters.filter { $0.name == name }.map(\.value)
    }

    /// The single value of `name`; a repeated one is an error.
    func value(_ name: String) throws(APIError) -> String? {
        let all = values(name)
        guard all.count <= 1 else {
            throw APIError(.badParameter, "parameter '\(name)' is given \(all.count) times; give it once")
        }
        return all.first
    }

    static func decode(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool, what: String) throws(APIError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    let shown = String(decoding: bytes[index..<min(index + 3, bytes.endIndex)], as: UTF8.self)
                    throw APIError(.badEncoding, "invalid percent-encoding '\(shown)' in \(what): a % must be followed by two hex digits (encode a literal % as %25)")
                }
                out.append(high << 4 | low)
                index += 3
            case UInt8(ascii: "+") where plusIsSpace:
                out.append(UInt8(ascii: " "))
                index += 1
            default:
                out.append(byte)
                index += 1
            }
        }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw APIError(.badEncoding, "\(what) is not valid UTF-8 after percent-decoding; encode text as UTF-8")
        }
        return string
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
