import Foundation

/// The character filter of the analysis chain: NFKC, lowercase, traditional -> simplified,
/// keeping an ``OffsetMap`` back to the original text.
///
/// Two stages, each recording how its output relates to its input:
///
/// 1. **Folding** (NFKC + lowercase) works per *unit*: a scalar plus every following scalar
///    that could compose with it or belong to it (combining marks, Hangul jamo, ZWJ). NFKC
///    never reaches across unit boundaries, so folding unit by unit gives the same text as
///    folding the whole string (a test checks the pairs that compose), and each unit's
///    output maps to its input. ASCII and CJK ideographs, which NFKC leaves alone, take a
///    byte-copy fast path. See ``Folder``.
/// 2. **Conversion** runs OpenCC over the whole folded text (so that phrase rules see their
///    context) and aligns the result scalar by scalar. If the scalar count changed (no rule
///    in OpenCC 1.1.6's t2s data does that, but the data may change), each run of non-ASCII
///    text is converted on its own and a run whose count changes is converted character by
///    character, so that every output piece still belongs to exactly one input scalar.
struct Normalizer: Sendable {
    /// Converts UTF-8 text (never containing NUL); `nil` means "failed, keep the input".
    typealias Convert = @Sendable (UnsafeBufferPointer<UInt8>) -> [UInt8]?

    let convert: Convert

    init(convert: @escaping Convert) {
        self.convert = convert
    }

    func normalize(_ text: String) -> NormalizedText {
        var original = text
        return original.withUTF8 { input in
            var folder = Folder()
            let (folded, foldMap) = folder.fold(input)
            guard let conversion = convertChinese(folded) else {
                return NormalizedText(
                    original: text, normalized: String(decoding: folded, as: UTF8.self), map: foldMap)
            }
            let map = Self.compose(foldMap, folded: folded, conversion: conversion)
            return NormalizedText(
                original: text, normalized: String(decoding: conversion.bytes, as: UTF8.self), map: map)
        }
    }

    // MARK: - Stage 2: traditional -> simplified

    /// OpenCC's output plus, for every scalar of the folded input, how many output bytes it
    /// became.
    struct Conversion {
        var bytes: [UInt8]
        var chunkLengths: [Int32]
    }

    /// `nil` when conversion changes nothing (the usual case for simplified text).
    func convertChinese(_ folded: [UInt8]) -> Conversion? {
        // Every traditional character is at or above U+2E80, i.e. starts with a byte >= 0xE2.
        guard folded.contains(where: { $0 >= 0xE2 }) else { return nil }
        if !folded.contains(0) {  // OpenCC stops at NUL; such text takes the per-run path.
            let whole = folded.withUnsafeBufferPointer { convert($0) }
            if let whole {
                if whole == folded { return nil }
                if let chunks = Self.alignScalars(folded[...], whole[...]) {
                    return Conversion(bytes: whole, chunkLengths: chunks)
                }
            }
        }
        return convertRunByRun(folded)
    }

    /// Converts each maximal run of non-ASCII text separately; a run whose scalar count
    /// changes is converted one scalar at a time.
    private func convertRunByRun(_ folded: [UInt8]) -> Conversion? {
        var out: [UInt8] = []
        out.reserveCapacity(folded.count)
        var chunks: [Int32] = []
        var i = 0
        while i < folded.count {
            if folded[i] < 0x80 {
                out.append(folded[i])
                chunks.append(1)
                i += 1
                continue
            }
            var j = i
            while j < folded.count && folded[j] >= 0x80 { j += 1 }
            let run = folded[i..<j]
            if let converted = run.withUnsafeBufferPointer({ convert($0) }),
                let aligned = Self.alignScalars(run, converted[...])
            {
                out += converted
                chunks += aligned
            } else {
                var k = i
                while k < j {
                    let length = UTF8Scanner.scalarLength(lead: folded[k])
                    let scalar = folded[k..<(k + length)]
                    let converted = scalar.withUnsafeBufferPointer { convert($0) } ?? Array(scalar)
                    out += converted
                    chunks.append(Int32(converted.count))
                    k += length
                }
            }
            i = j
        }
        return out == folded ? nil : Conversion(bytes: out, chunkLengths: chunks)
    }

    /// Pairs the scalars of `input` and `output` one to one and returns the byte length of
    /// each output scalar, or `nil` if the counts differ or an ASCII scalar changed (OpenCC
    /// never rewrites ASCII, so that would mean the pairing is off).
    static func alignScalars(_ input: ArraySlice<UInt8>, _ output: ArraySlice<UInt8>) -> [Int32]? {
        var chunks: [Int32] = []
        chunks.reserveCapacity(input.count / 2)
        var i = input.startIndex
        var o = output.startIndex
        while i < input.endIndex {
            guard o < output.endIndex else { return nil }
            let inLength = UTF8Scanner.scalarLength(lead: input[i])
            let outLength = UTF8Scanner.scalarLength(lead: output[o])
            if inLength == 1 && (outLength != 1 || input[i] != output[o]) { return nil }
            chunks.append(Int32(outLength))
            i += inLength
            o += outLength
        }
        return o == output.endIndex ? chunks : nil
    }

    /// Chains the folding map (folded -> original) with the conversion (converted -> folded).
    static func compose(_ foldMap: OffsetMap, folded: [UInt8], conversion: Conversion) -> OffsetMap {
        var map = OffsetMap()
        let out = conversion.bytes
        var scalarIndex = 0
        var outPosition = 0
        for k in 0..<foldMap.segmentCount {
            var position = Int(foldMap.normalizedBounds[k])
            let end = Int(foldMap.normalizedBounds[k + 1])
            if foldMap.isLinear[k] {
                // Folded and original scalars correspond one to one here.
                while position < end {
                    let inLength = UTF8Scanner.scalarLength(lead: folded[position])
                    let outLength = Int(conversion.chunkLengths[scalarIndex])
                    let isOneScalar =
                        outLength > 0 && UTF8Scanner.scalarLength(lead: out[outPosition]) == outLength
                    map.append(
                        normalized: outLength, original: inLength,
                        linear: isOneScalar && inLength == outLength)
                    position += inLength
                    outPosition += outLength
                    scalarIndex += 1
                }
            } else {
                var outLength = 0
                while position < end {
                    outLength += Int(conversion.chunkLengths[scalarIndex])
                    position += UTF8Scanner.scalarLength(lead: folded[position])
                    scalarIndex += 1
                }
                let originalLength = Int(foldMap.originalBounds[k + 1] - foldMap.originalBounds[k])
                map.append(normalized: outLength, original: originalLength, linear: false)
                outPosition += outLength
            }
        }
        return map
    }
}
