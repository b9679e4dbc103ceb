/// Maps UTF-8 byte offsets in normalised text back to UTF-8 byte offsets in the original.
///
/// Both texts are cut into the same number of consecutive segments. A *linear* segment
/// has the same byte length on both sides and was built only from pieces that are one
/// scalar on each side with equal lengths (ASCII, CJK ideographs, `À` -> `à`), so an offset
/// inside it maps by a constant shift and scalar boundaries line up. Any other segment (`①`
/// -> `1`, `ﬁ` -> `fi`, `㈠` -> `(一)`, `，` -> `,`) is atomic: a range touching it covers the
/// whole original segment. Consecutive linear pieces are merged, so plain Chinese or ASCII
/// text costs one segment however long it is.
struct OffsetMap: Sendable, Equatable {
    /// `normalizedBounds[k]` is where segment `k` starts; the last element is the total
    /// length. Offsets fit in 32 bits: a single text is far below 4 GiB.
    private(set) var normalizedBounds: [UInt32] = [0]
    /// Same cuts, in the original text.
    private(set) var originalBounds: [UInt32] = [0]
    /// Whether segment `k` maps offsets one to one.
    private(set) var isLinear: [Bool] = []

    /// Number of segments.
    var segmentCount: Int { isLinear.count }

    var normalizedLength: Int { Int(normalizedBounds[normalizedBounds.count - 1]) }
    var originalLength: Int { Int(originalBounds[originalBounds.count - 1]) }

    /// Appends the next piece: `normalized` bytes of output produced from `original` bytes
    /// of input.
    mutating func append(normalized: Int, original: Int, linear: Bool) {
        if normalized == 0 && original == 0 { return }
        let last = isLinear.count - 1
        if last >= 0 {
            let lastIsEmpty = normalizedBounds[last] == normalizedBounds[last + 1]
            if (linear && isLinear[last]) || normalized == 0 || lastIsEmpty {
                // Extend the previous segment. Pieces that vanish from the normalised text,
                // and pieces after one, are absorbed so that no segment stays empty on the
                // normalised side (such a segment could never be looked up).
                normalizedBounds[last + 1] += UInt32(normalized)
                originalBounds[last + 1] += UInt32(original)
                isLinear[last] = isLinear[last] && linear && normalized > 0 && !lastIsEmpty
                return
            }
        }
        normalizedBounds.append(normalizedBounds[last + 1] + UInt32(normalized))
        originalBounds.append(originalBounds[last + 1] + UInt32(original))
        isLinear.append(linear && normalized > 0)
    }

    /// The original byte range that produced `lower..<upper` of the normalised text, before
    /// snapping to scalar boundaries (`0 <= lower <= upper <= normalizedLength`).
    ///
    /// `segment` is a hint: any segment at or before the one holding `lower` (0 always
    /// works). It is moved forward, so mapping ranges in increasing order, as a tokeniser
    /// does, walks the segments once instead of searching for each range.
    func originalBounds(lower: Int, upper: Int, segment: inout Int) -> (lower: Int, upper: Int) {
        let start = originalOffset(lower, segment: &segment, isEnd: false)
        if upper == lower { return (start, start) }
        return (start, originalOffset(upper, segment: &segment, isEnd: true))
    }

    /// Maps one offset: a range start goes to the start of an atomic segment, a range end
    /// (exclusive) to the end of the atomic segment holding its last byte.
    private func originalOffset(_ offset: Int, segment: inout Int, isEnd: Bool) -> Int {
        if offset <= 0 { return 0 }
        if offset >= normalizedLength { return originalLength }
        let byte = UInt32(isEnd ? offset - 1 : offset)  // the byte whose segment decides
        var k = segment
        while normalizedBounds[k + 1] <= byte { k += 1 }
        segment = k
        if isLinear[k] { return Int(originalBounds[k]) + (offset - Int(normalizedBounds[k])) }
        return Int(isEnd ? originalBounds[k + 1] : originalBounds[k])
    }

    /// Convenience for single lookups: the original offset where a normalised range starting
    /// at `offset` starts.
    func originalStart(forNormalized offset: Int) -> Int {
        var segment = offset > 0 && offset < normalizedLength ? lastSegment(startingAtOrBefore: offset) : 0
        return originalOffset(offset, segment: &segment, isEnd: false)
    }

    /// Convenience for single lookups: the original offset where a normalised range ending at
    /// `offset` (exclusive) ends.
    func originalEnd(forNormalized offset: Int) -> Int {
        var segment = offset > 0 && offset < normalizedLength ? lastSegment(startingAtOrBefore: offset - 1) : 0
        return originalOffset(offset, segment: &segment, isEnd: true)
    }

    /// The segment hint to start from for a range beginning at `offset`.
    func segmentHint(forNormalized offset: Int) -> Int {
        offset > 0 && offset < normalizedLength ? lastSegment(startingAtOrBefore: offset) : 0
    }

    /// Index of the last segment whose normalised start is `<= offset`
    /// (`0 <= offset < normalizedLength`).
    private func lastSegment(startingAtOrBefore offset: Int) -> Int {
        let target = UInt32(offset)
        var low = 0
        var high = isLinear.count  // invariant: bounds[low] <= target, answer in low..<high
        while high - low > 1 {
            let mid = (low + high) / 2
            if normalizedBounds[mid] <= target { low = mid } else { high = mid }
        }
        return low
    }
}
