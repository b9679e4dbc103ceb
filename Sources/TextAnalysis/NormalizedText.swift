/// A text as the user wrote it and as the index sees it, with a map between the two.
///
/// Only ``normalized`` goes to Xapian; ``original`` is what gets displayed. Offsets are
/// UTF-8 byte offsets, the unit Xapian and the tokens use.
///
/// ```swift
/// let text = try Analyzer().normalize("產教融合，ＡＩ赋能")
/// text.normalized                                   // "产教融合,ai赋能"
/// let ai = 13..<15                                  // "ai" in the normalised text
/// text.originalRange(forNormalized: ai)             // 15..<21, the bytes of "ＡＩ"
/// text.originalText(forNormalized: ai)              // "ＡＩ"
/// ```
public struct NormalizedText: Sendable, Equatable {
    /// The text as given.
    public let original: String
    /// NFKC, lowercased, traditional Chinese converted to simplified.
    public let normalized: String

    let map: OffsetMap

    init(original: String, normalized: String, map: OffsetMap) {
        self.original = original
        self.normalized = normalized
        self.map = map
    }

    /// The UTF-8 byte range of ``original`` that produced `range` of ``normalized``.
    ///
    /// The result always starts and ends on scalar boundaries of the original and covers
    /// every original character that contributed to the range: `1` produced by `①` maps to
    /// all three bytes of `①`, and either letter of `fi` produced by `ﬁ` maps to the whole
    /// ligature. Out-of-bounds ranges are clamped; an empty range maps to an empty range.
    ///
    /// ```swift
    /// let text = try Analyzer().normalize("職業")   // normalised: "职业"
    /// text.originalRange(forNormalized: 3..<6)      // 3..<6, the bytes of "業"
    /// ```
    public func originalRange(forNormalized range: Range<Int>) -> Range<Int> {
        let lower = min(max(range.lowerBound, 0), map.normalizedLength)
        return withOriginalRangeMapper(startingAt: lower) { $0.originalRange(forNormalized: range) }
    }

    /// Runs `body` with a mapper for ranges at or after `offset`, given in increasing order.
    func withOriginalRangeMapper<R>(startingAt offset: Int = 0, _ body: (inout OriginalRangeMapper) -> R) -> R {
        var original = self.original
        return original.withUTF8 { bytes in
            var mapper = OriginalRangeMapper(
                map: map, original: bytes, segment: map.segmentHint(forNormalized: offset))
            return body(&mapper)
        }
    }

    /// The slice of ``original`` that produced `range` of ``normalized``; see
    /// ``originalRange(forNormalized:)``.
    ///
    /// ```swift
    /// let text = try Analyzer().normalize("１＋Ｘ证书")   // normalised: "1+x证书"
    /// text.originalText(forNormalized: 0..<3)           // "１＋Ｘ"
    /// ```
    public func originalText(forNormalized range: Range<Int>) -> Substring {
        let bytes = originalRange(forNormalized: range)
        let utf8 = original.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: bytes.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: bytes.upperBound)
        return original[start..<end]
    }
}

/// Maps normalised ranges to original ranges, fast when the ranges come in increasing
/// order (it remembers where it is in the ``OffsetMap``).
struct OriginalRangeMapper {
    let map: OffsetMap
    /// The original text's UTF-8 bytes, for snapping to scalar boundaries.
    let original: UnsafeBufferPointer<UInt8>
    /// A segment at or before the next range's start.
    var segment: Int

    /// See ``NormalizedText/originalRange(forNormalized:)``. Ranges must not start before
    /// the previous range's start.
    mutating func originalRange(forNormalized range: Range<Int>) -> Range<Int> {
        let lower = min(max(range.lowerBound, 0), map.normalizedLength)
        let upper = min(max(range.upperBound, lower), map.normalizedLength)
        let bounds = map.originalBounds(lower: lower, upper: upper, segment: &segment)
        // Widen to whole scalars (a no-op for ranges on scalar boundaries).
        var start = bounds.lower
        while start > 0 && start < original.count && original[start] & 0xC0 == 0x80 { start -= 1 }
        if upper == lower { return start..<start }
        var end = max(bounds.upper, start)
        while end < original.count && original[end] & 0xC0 == 0x80 { end += 1 }
        return start..<end
    }
}
