/// Moving bytes across the C boundary as (pointer, length) pairs, because
/// terms, values and data may contain NUL bytes.
enum CBytes {
    /// Calls `body` with the UTF-8 bytes of `string` (NUL bytes included).
    static func with<R>(_ string: String, _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
        var string = string
        return string.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { body($0.baseAddress, $0.count) }
        }
    }

    static func with<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>?, Int) -> R) -> R {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress, $0.count) }
        }
    }

    static func array(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// Invalid UTF-8 is repaired (U+FFFD), never a crash.
    static func string(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// A fixed C char array (cx_error.type / .message) up to its first NUL.
    static func string(nulTerminated bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// `value` as a UInt32 for Xapian (positions, counts), or nil if it does not fit.
    static func uint32(_ value: Int) -> UInt32? {
        UInt32(exactly: value)
    }
}
