/// A 64-bit FNV-1a hash, hex-encoded: enough to tell whether a report file,
/// the gazetteer or the synonym list changed since the last build (not a
/// security measure).
struct Fingerprint {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
        // A separator so that ("ab", "c") and ("a", "bc") differ.
        state ^= 0xFF
        state = state &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ text: String) { add(text.utf8) }

    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func of<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var fingerprint = Fingerprint()
        fingerprint.add(bytes)
        return fingerprint.hex
    }
}
