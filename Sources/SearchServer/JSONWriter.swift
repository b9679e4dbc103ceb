// Why not JSONEncoder on the busy routes: it builds a tree of boxed values,
// then sorts every object's keys as it writes them out. A ten-hit search
// answer took it ~250 µs (this writer: ~25 µs), while the daemon must answer
// within 1.5× the in-process search time. Our response types are few and
// fixed, so each writes its fields, in order, straight into bytes.
// JSONEncoder stays for the rare routes (stats, health, errors).

/// JSON appended straight to a byte buffer, byte for byte what `JSONEncoder`
/// with `[.sortedKeys, .withoutEscapingSlashes]` writes for the same value
/// (`SearchAPI.encode`, which the CLI prints too); `JSONWriterTests` compares
/// the two.
///
/// Commas are the writer's business; key order is the caller's: write an
/// object's keys in the byte order of their UTF-8, as `.sortedKeys` does on
/// Linux, and leave out a nil optional, as synthesized `Encodable` does.
///
/// ```swift
/// var json = JSONWriter(reservingCapacity: 64)
/// json.beginObject()
/// json.field("id", "gz-2024/case/1-12")
/// json.field("parent", nil as String?)
/// json.field("year", 2024)
/// json.endObject()
/// // {"id":"gz-2024/case/1-12","year":2024}
/// ```
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether something precedes the next key or value in its container,
    /// so that a comma must come first.
    private var followsValue = false

    /// `capacity`: the expected size, so that the buffer grows seldom or never.
    init(reservingCapacity capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Containers

    mutating func beginObject() { open(.openBrace) }
    mutating func endObject() { close(.closeBrace) }
    mutating func beginArray() { open(.openBracket) }
    mutating func endArray() { close(.closeBracket) }

    /// Ends one line of JSON Lines: the next value starts a new document.
    mutating func endLine() {
        bytes.append(.newline)
        followsValue = false
    }

    // MARK: - Keys

    /// A key written as is: a CodingKey's string value, which never needs
    /// escaping (checked in debug builds).
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(.quote)
        name.withUTF8Buffer { utf8 in
            assert(utf8.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != .quote && $0 != .backslash }, "key \(name) needs escaping")
            bytes.append(contentsOf: utf8)
        }
        bytes.append(.quote)
        bytes.append(.colon)
        followsValue = false
    }

    /// A key known only at run time (a dictionary's), escaped as a string.
    mutating func key(escaping name: String) {
        separate()
        appendQuoted(name)
        bytes.append(.colon)
        followsValue = false
    }

    /// A key and its value.
    mutating func field<Value: JSONWritable>(_ name: StaticString, _ value: Value) {
        key(name)
        value.write(to: &self)
    }

    /// A key and its value, or nothing when the value is nil (what
    /// synthesized `Encodable` does with `encodeIfPresent`).
    mutating func field<Value: JSONWritable>(_ name: StaticString, _ value: Value?) {
        guard let value else { return }
        field(name, value)
    }

    // MARK: - Values

    /// A string: `"` and `\` escaped, control characters as `\b \f \n \r \t`
    /// or `\u00XX` (lowercase hex), everything else as UTF-8, `/` included.
    mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        followsValue = true
    }

    mutating func integer(_ value: Int) {
        separate()
        if value < 0 { bytes.append(.minus) }
        // Digits from the last into a buffer on the stack (20 digits hold
        // any magnitude), then appended in one go: no String is made.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.endIndex
            var rest = value.magnitude
            repeat {
                start -= 1
                digits[start] = .zero + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
        followsValue = true
    }

    /// A number as JSONEncoder writes a Double: Swift's shortest round-trip
    /// `description` without a trailing `.0` (`3`, `0.5`, `1e-05`,
    /// `1.5e+300`, `-0`).
    ///
    /// NaN and ±infinity, which JSON cannot hold, are written as 0: scores
    /// and weights are never either, and where JSONEncoder would throw (and
    /// the whole answer become an error), one odd number keeps the answer
    /// readable by clients that decode it as a Double, the CLI among them.
    mutating func number(_ value: Double) {
        separate()
        if value.isFinite {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        } else {
            bytes.append(.zero)
        }
        followsValue = true
    }

    mutating func boolean(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        followsValue = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullBytes)
        followsValue = true
    }

    // MARK: - Bytes

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)

    private mutating func separate() {
        if followsValue { bytes.append(.comma) }
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        followsValue = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        followsValue = true
    }

    /// The string in quotes, runs that need no escape copied whole.
    private mutating func appendQuoted(_ text: String) {
        bytes.append(.quote)
        var text = text
        text.withUTF8 { utf8 in
            var copied = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == .quote || byte == .backslash else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied..<index]))
                appendEscape(byte)
                copied = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied...]))
        }
        bytes.append(.quote)
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(.backslash)
        switch byte {
        case .quote, .backslash: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case .newline: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), .zero, .zero, Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0x0F)])
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? .zero + value : UInt8(ascii: "a") + value - 10
    }
}

private extension UInt8 {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")
    static let newline = UInt8(ascii: "\n")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
}

// MARK: - Writable values

/// A value that writes itself with a `JSONWriter`, as its `Encodable`
/// conformance would encode it.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWritable {
    /// This value as one JSON document.
    func jsonBytes(reservingCapacity capacity: Int = 16 * 1024) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: capacity)
        write(to: &json)
        return json.bytes
    }
}

extension String: JSONWritable {
    func write(to json: inout JSONWriter) { json.string(self) }
}

extension Int: JSONWritable {
    func write(to json: inout JSONWriter) { json.integer(self) }
}

extension Double: JSONWritable {
    func write(to json: inout JSONWriter) { json.number(self) }
}

extension Bool: JSONWritable {
    func write(to json: inout JSONWriter) { json.boolean(self) }
}

extension Array: JSONWritable where Element: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginArray()
        for element in self { element.write(to: &json) }
        json.endArray()
    }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    /// An object with the keys in UTF-8 byte order, as `.sortedKeys` sorts
    /// them outside Apple's platforms.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        for (key, value) in sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            json.key(escaping: key)
            value.write(to: &json)
        }
        json.endObject()
    }
}
