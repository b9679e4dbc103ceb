import Foundation

/// Stage 1 of the ``Normalizer``: NFKC + lowercase, unit by unit, with an ``OffsetMap``.
///
/// Folds one text. Holds a cache of single-scalar results, since a document repeats the
/// same few dozen punctuation marks and full-width forms thousands of times.
struct Folder {
    private struct Folded {
        var bytes: [UInt8]
        var isOneScalar: Bool
    }

    private var cache: [UInt32: Folded] = [:]

    mutating func fold(_ input: UnsafeBufferPointer<UInt8>) -> ([UInt8], OffsetMap) {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var map = OffsetMap()
        let count = input.count
        var i = 0
        guard count > 0 else { return (out, map) }
        var current = UTF8Scanner.decode(input, at: 0)
        while i < count {
            var end = i + current.length
            var scalarCount = 1
            var next: (value: UInt32, length: Int)? = end < count ? UTF8Scanner.decode(input, at: end) : nil
            while let n = next, Self.continuesUnit(n.value) {
                end += n.length
                scalarCount += 1
                next = end < count ? UTF8Scanner.decode(input, at: end) : nil
            }
            let value = current.value
            if scalarCount == 1 && value < 0x80 {
                // ASCII: lowercase A-Z, copy the rest.
                let byte = input[i]
                out.append(byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0))
                map.append(normalized: 1, original: 1, linear: true)
            } else if scalarCount == 1 && Self.isFoldingInvariant(value) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<end]))
                map.append(normalized: end - i, original: end - i, linear: true)
            } else if scalarCount == 1 {
                let folded = foldScalar(value, input[i..<end])
                out += folded.bytes
                map.append(
                    normalized: folded.bytes.count, original: end - i,
                    linear: folded.isOneScalar && folded.bytes.count == end - i)
            } else {
                let unit = String(decoding: UnsafeBufferPointer(rebasing: input[i..<end]), as: UTF8.self)
                let folded = Self.fold(unit)
                out += folded.utf8
                map.append(normalized: folded.utf8.count, original: end - i, linear: false)
            }
            i = end
            if let next { current = next }
        }
        return (out, map)
    }

    /// Folded forms of the punctuation and full-width blocks every Chinese
    /// text is full of (U+2000–206F, U+3000–303F, U+FF00–FFEF), computed once
    /// per process: without it each text paid Foundation's NFKC for its first
    /// `，`, `。`, `“` … again. Immutable after initialisation, so shared freely.
    private static let common: [UInt32: Folded] = {
        var table: [UInt32: Folded] = [:]
        for range in [0x2000...0x206F, 0x3000...0x303F, 0xFF00...0xFFEF] as [ClosedRange<UInt32>] {
            for value in range {
                guard let scalar = Unicode.Scalar(value), !continuesUnit(value) else { continue }
                let folded = fold(String(Character(scalar)))
                table[value] = Folded(bytes: Array(folded.utf8), isOneScalar: folded.unicodeScalars.count == 1)
            }
        }
        return table
    }()

    private mutating func foldScalar(_ value: UInt32, _ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Folded {
        if let hit = Self.common[value] ?? cache[value] { return hit }
        let folded = Self.fold(String(decoding: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self))
        let result = Folded(bytes: Array(folded.utf8), isOneScalar: folded.unicodeScalars.count == 1)
        cache[value] = result
        return result
    }

    /// NFKC, lowercase, NFKC again (lowercasing can produce sequences NFKC would change,
    /// and the result must be stable under a second normalisation).
    static func fold(_ text: String) -> String {
        let lowered = nfkc(text).lowercased()
        return lowered.utf8.allSatisfy({ $0 < 0x80 }) ? lowered : nfkc(lowered)
    }

    /// Unicode NFKC as NFC(NFKD(text)). Foundation's `precomposedStringWithCompatibilityMapping`
    /// on Linux (Swift 6.3) does not recompose after compatibility decomposition:
    /// it turns `ｶﾞ` into `カ` + U+3099 instead of `ガ`.
    static func nfkc(_ text: String) -> String {
        text.decomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    }

    /// Scalars that NFKC and lowercasing leave unchanged *when they stand alone in their
    /// unit*: CJK unified ideographs (BMP and planes 2-3 except the compatibility
    /// ideographs at U+2F800), kana and Hangul syllables. A test checks every one of them.
    static func isFoldingInvariant(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF: return true  // CJK unified ideographs, ext. A
        case 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC...0x30FE: return true  // kana
        case 0xAC00...0xD7A3: return true  // Hangul syllables
        case 0x20000...0x2F7FF, 0x30000...0x3FFFF: return true  // ext. B-I, planes 2 and 3
        default: return false
        }
    }

    /// Whether a scalar joins the unit of the scalar before it. Over-grouping only makes the
    /// offset map coarser; under-grouping would change the text, so this errs on the wide side.
    static func continuesUnit(_ value: UInt32) -> Bool {
        if value < 0x300 { return false }
        if value >= 0x3400 && value <= 0x9FFF { return false }  // the common CJK case
        switch value {
        case 0x200D: return true  // ZWJ
        // Frequent punctuation and full-width forms that are known starters, to skip the
        // property lookups below (a test checks these ranges against the properties).
        case 0x2010...0x206F, 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x3130, 0xFF00...0xFF9D:
            return false
        // Hangul vowel and final jamo compose with what comes before them; compatibility
        // and half-width jamo become such jamo under NFKC (ㅏ -> U+1161, ㄳ -> U+11AA).
        case 0x1160...0x11FF, 0xD7B0...0xD7FF, 0x3131...0x318E, 0xFFA0...0xFFDC: return true
        default:
            guard let scalar = Unicode.Scalar(value) else { return false }
            let properties = scalar.properties
            return properties.canonicalCombiningClass != .notReordered
                || properties.isGraphemeExtend
                || properties.generalCategory == .spacingMark
        }
    }
}
