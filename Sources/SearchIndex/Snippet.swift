import Foundation
import TextAnalysis

/// A passage of a unit's text around its best match, with exactly the
/// query's words and phrases marked.
///
/// Highlights are found on the normalised text (so 產教融合 marks 产教融合
/// as written in a traditional-script report, and ＡＩ marks ai) and mapped
/// back to the text as written. An unquoted multi-character query marks its
/// whole run where it occurs, else its longest pieces of two or more
/// characters: never an isolated character (XAPIAN-NOTES: Xapian's own
/// snippets mark stray 产 … 合).
struct Snippet: Sendable, Equatable {
    var text: String
    /// The marked passages as written.
    var matches: [String]

    static let open = "«"
    static let close = "»"

    /// - Parameter simplified: the text is known (from index time) to need no
    ///   traditional -> simplified conversion, which allows the fast path.
    static func make(
        from original: String, highlighting targets: [[String]], analyzer: Analyzer, length: Int, simplified: Bool = false
    ) -> Snippet {
        if simplified {
            let direct = withBytes(of: original) { bytes -> Snippet? in
                guard let marked = DirectMatcher.marks(in: bytes, targets: targets) else { return nil }
                return render(bytes, marked: merge(marked), length: length)
            }
            if let direct { return direct }
        }
        return render(original, marked: marks(in: original, highlighting: targets, analyzer: analyzer), length: length)
    }

    /// Where `targets` are written in `original`: sorted, disjoint byte
    /// ranges of the text as written.
    static func marks(in original: String, highlighting targets: [[String]], analyzer: Analyzer) -> [Range<Int>] {
        let normalized = analyzer.normalize(original)
        let tokens = analyzer.tokenize(normalized)
        // Where each token text occurs, so that finding a target costs its
        // occurrences, not a pass over every token.
        var starts: [Substring: [Int]] = [:]
        for (index, token) in tokens.enumerated() { starts[Substring(token.text), default: []].append(index) }
        var ranges: [Range<Int>] = []
        for target in targets where !target.isEmpty {
            ranges += occurrences(of: target, in: tokens, starts: starts)
        }
        return merge(ranges).map { normalized.originalRange(forNormalized: $0) }
    }

    /// `marks` as character (Unicode scalar) offsets, for a reader that
    /// shows the whole text: a browser, a script.
    static func characterMarks(in original: String, highlighting targets: [[String]], analyzer: Analyzer) -> [Range<Int>] {
        let marked = marks(in: original, highlighting: targets, analyzer: analyzer)
        return withBytes(of: original) { bytes in
            var counter = ScalarCounter(bytes)
            return marked.map { counter.characters(toByte: $0.lowerBound)..<counter.characters(toByte: $0.upperBound) }
        }
    }

    // MARK: - Finding

    /// A target of one word ending in this marks the words that start with
    /// the rest (`digit*`: a prefix search).
    static let prefixMarker: Character = "*"

    /// Normalised byte ranges where `target` occurs; for a CJK run with no
    /// exact occurrence, its longest sub-runs (≥ 2 characters) that do.
    private static func occurrences(of target: [String], in tokens: [Token], starts: [Substring: [Int]]) -> [Range<Int>] {
        if target.count == 1, target[0].last == prefixMarker {
            let stem = target[0].dropLast()
            return tokens.filter { $0.kind != .cjk && $0.text.hasPrefix(stem) }.map(\.normalizedRange)
        }
        let exact = find(target, in: tokens, starts: starts)
        if !exact.isEmpty || target.count <= 2 { return exact }
        let isRun = target.allSatisfy { $0.unicodeScalars.allSatisfy { Tokenizer.isCJK($0) } }
        guard isRun else { return [] }
        for size in stride(from: target.count - 1, through: 2, by: -1) {
            var found: [Range<Int>] = []
            for start in 0...(target.count - size) {
                found += find(Array(target[start..<(start + size)]), in: tokens, starts: starts)
            }
            if !found.isEmpty { return found }
        }
        return []
    }

    private static func find(_ target: [String], in tokens: [Token], starts: [Substring: [Int]]) -> [Range<Int>] {
        guard let candidates = starts[Substring(target[0])] else { return [] }
        var found: [Range<Int>] = []
        for start in candidates where start + target.count <= tokens.count {
            var matches = true
            for offset in 1..<max(1, target.count) {
                let previous = tokens[start + offset - 1]
                let token = tokens[start + offset]
                // Characters of a run must touch; words may be apart by spaces.
                let touching = previous.kind != .cjk || token.kind != .cjk
                    || previous.normalizedRange.upperBound == token.normalizedRange.lowerBound
                if token.text != target[offset] || !touching {
                    matches = false
                    break
                }
            }
            if matches {
                found.append(tokens[start].normalizedRange.lowerBound..<tokens[start + target.count - 1].normalizedRange.upperBound)
            }
        }
        return found
    }

    static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    // MARK: - Rendering

    /// Picks the window of `length` characters holding the most marks and
    /// renders it with markers; `…` where the text is cut.
    private static func render(_ original: String, marked: [Range<Int>], length: Int) -> Snippet {
        withBytes(of: original) { render($0, marked: marked, length: length) }
    }

    /// The bytes of `text` without a copy when it is stored contiguously (a
    /// native string always is).
    static func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// Counts and cuts by characters, i.e. scalars (a Chinese character is
    /// one scalar; grapheme breaking is much slower and changes nothing
    /// here), found from the bytes alone, and only as far into the text as
    /// the snippet reaches: units run to tens of kilobytes.
    private static func render(_ utf8: UnsafeBufferPointer<UInt8>, marked: [Range<Int>], length: Int) -> Snippet {
        var scanner = ScalarCounter(utf8)
        // `marked` is sorted and disjoint (see `merge`), so one forward pass
        // gives every mark's character offsets.
        let markCharacters = marked.map { mark in
            (lower: scanner.characters(toByte: mark.lowerBound), upper: scanner.characters(toByte: mark.upperBound))
        }
        var windowStart = 0
        if !marked.isEmpty {
            var best = (count: -1, start: 0)
            var first = 0
            for mark in markCharacters {
                // Start a little before the mark, so the reader sees its context.
                let start = max(0, mark.lower - length / 5)
                let end = start + length
                while first < markCharacters.count, markCharacters[first].lower < start { first += 1 }
                var count = 0
                var next = first
                while next < markCharacters.count, markCharacters[next].lower <= end {
                    if markCharacters[next].upper <= end { count += 1 }
                    next += 1
                }
                if count > best.count { best = (count, start) }
            }
            windowStart = best.start
        }
        // Where the window ends depends on how many characters the text has
        // after it: count on from the window's start, at most `length` more.
        var counter = ScalarCounter(utf8)
        var lowerByte = counter.byte(ofCharacter: windowStart)
        var upperByte = counter.byte(ofCharacter: windowStart + length)
        let reachesEnd = upperByte == utf8.count
        if reachesEnd {
            // Fewer than `length` characters left: move the window back.
            let total = counter.characters(toByte: utf8.count)
            if total - windowStart < length {
                windowStart = max(0, total - length)
                var again = ScalarCounter(utf8)
                lowerByte = again.byte(ofCharacter: windowStart)
                upperByte = again.byte(ofCharacter: windowStart + length)
            }
        }
        let cutAtEnd = upperByte < utf8.count

        var text: [UInt8] = []
        text.reserveCapacity(upperByte - lowerByte + 64)
        let ellipsis = Array("…".utf8), openBytes = Array(open.utf8), closeBytes = Array(close.utf8)
        func append(_ range: Range<Int>) {
            // Paragraph breaks read as spaces in a one-line snippet.
            for byte in utf8[range] { text.append(byte == 0x0A ? 0x20 : byte) }
        }
        if windowStart > 0 { text += ellipsis }
        var matches: [String] = []
        var cursor = lowerByte
        for mark in marked where mark.lowerBound >= lowerByte && mark.upperBound <= upperByte {
            append(cursor..<mark.lowerBound)
            text += openBytes
            append(mark)
            text += closeBytes
            matches.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[mark]), as: UTF8.self))
            cursor = mark.upperBound
        }
        append(cursor..<upperByte)
        if cutAtEnd { text += ellipsis }
        return Snippet(text: String(decoding: text, as: UTF8.self), matches: matches)
    }
}

/// Converts between byte offsets and character (scalar) offsets of UTF-8
/// text by counting forward from where the last question left off, so a
/// series of increasing questions costs one pass.
private struct ScalarCounter {
    let bytes: UnsafeBufferPointer<UInt8>
    private var byte = 0
    private var characters = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Characters starting before byte `target` (not before the last question's).
    mutating func characters(toByte target: Int) -> Int {
        let target = min(target, bytes.count)
        while byte < target {
            if bytes[byte] & 0xC0 != 0x80 { characters += 1 }
            byte += 1
        }
        return characters
    }

    /// The byte where character `target` starts, or the end of the text.
    mutating func byte(ofCharacter target: Int) -> Int {
        while byte < bytes.count {
            if bytes[byte] & 0xC0 != 0x80 {
                if characters == target { return byte }
                characters += 1
            }
            byte += 1
        }
        return bytes.count
    }
}

/// The snippet fast path: finds highlight targets directly in the bytes of
/// the text as written, with no normalisation or tokenising, when that is
/// exact — the text needs no script conversion (checked at index time), holds
/// no full-width Latin letters or digits, and every target is either a run
/// of CJK characters (which folding leaves alone) or a single ASCII word
/// (matched case-insensitively, on word boundaries). Anything else returns
/// nil and takes the general path. Most hits of most queries take this one.
enum DirectMatcher {
    static func marks(in original: String, targets: [[String]]) -> [Range<Int>]? {
        Snippet.withBytes(of: original) { marks(in: $0, targets: targets) }
    }

    static func marks(in text: UnsafeBufferPointer<UInt8>, targets: [[String]]) -> [Range<Int>]? {
        // Full-width forms (U+FF01–FF5E) fold to ASCII: where one folds to a
        // character of an ASCII target (`９` for `96.43%`, `Ａ` for `ai`), only
        // the general path finds it. Full-width Chinese punctuation (，：) does
        // not matter to CJK targets.
        var asciiInTargets = Set<UInt8>()
        for target in targets where target.count == 1 { asciiInTargets.formUnion(target[0].utf8.filter { $0 < 0x80 }) }
        if !asciiInTargets.isEmpty {
            for index in 0..<max(0, text.count - 2) where text[index] == 0xEF && (text[index + 1] == 0xBC || text[index + 1] == 0xBD) {
                let scalar = 0xF000 | (UInt32(text[index + 1] & 0x3F) << 6) | UInt32(text[index + 2] & 0x3F)
                guard (0xFF01...0xFF5E).contains(scalar) else { continue }
                var ascii = UInt8(scalar - 0xFEE0)
                if (ascii &- 0x41) < 26 { ascii |= 0x20 }
                if asciiInTargets.contains(ascii) { return nil }
            }
        }
        var found: [Range<Int>] = []
        for target in targets where !target.isEmpty {
            if target.allSatisfy(isCJK) {
                found += runOccurrences(target, in: text)
            } else if target.count == 1, let word = target.first, word.utf8.allSatisfy({ $0 < 0x80 }) {
                if word.last == Snippet.prefixMarker {
                    found += wordOccurrences(Array(word.dropLast().utf8), in: text, asPrefix: true)
                } else {
                    found += wordOccurrences(Array(word.utf8), in: text)
                }
            } else {
                return nil
            }
        }
        return found
    }

    private static func isCJK(_ token: String) -> Bool {
        token.unicodeScalars.allSatisfy { Tokenizer.isCJK($0) }
    }

    /// The run where it occurs; else its longest sub-runs of two or more
    /// characters (the same rule as the general path). The sub-runs are
    /// found from the occurrences of the run's bigrams, each extended as far
    /// as the run allows: one scan of the text per bigram instead of one per
    /// sub-run (a school's name of eleven characters has 54 sub-runs, and
    /// most units do not hold the name).
    private static func runOccurrences(_ run: [String], in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let exact = occurrences(Array(run.joined().utf8), in: text)
        if !exact.isEmpty || run.count <= 2 { return exact }
        let characters = run.map { Array($0.utf8) }
        // Every occurrence of every bigram, with how many characters of the
        // run match from there.
        var extensions: [(start: Int, offset: Int, length: Int)] = []
        var longest = 0
        for start in 0..<(run.count - 1) {
            for bigram in occurrences(characters[start] + characters[start + 1], in: text, overlapping: true) {
                var length = 2
                var cursor = bigram.upperBound
                while start + length < run.count, matches(characters[start + length], in: text, at: cursor) {
                    cursor += characters[start + length].count
                    length += 1
                }
                extensions.append((start, bigram.lowerBound, length))
                longest = max(longest, length)
            }
        }
        guard longest >= 2 else { return [] }
        // The sub-runs of the longest length, each where a scan for it would
        // find it: left to right, not overlapping itself.
        var found: [Range<Int>] = []
        for start in 0...(run.count - longest) {
            let byteCount = characters[start..<(start + longest)].reduce(0) { $0 + $1.count }
            var next = 0
            for item in extensions where item.start == start && item.length >= longest && item.offset >= next {
                found.append(item.offset..<(item.offset + byteCount))
                next = item.offset + byteCount
            }
        }
        return found
    }

    private static func matches(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset + needle.count <= text.count, let base = text.baseAddress else { return false }
        return needle.withUnsafeBytes { memcmp(base + offset, $0.baseAddress!, needle.count) == 0 }
    }

    /// Where `needle` occurs, left to right; each match is skipped past
    /// unless `overlapping`.
    private static func occurrences(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, overlapping: Bool = false) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= text.count, let base = text.baseAddress else { return [] }
        var found: [Range<Int>] = []
        var start = 0
        let last = text.count - needle.count
        needle.withUnsafeBytes { needleBytes in
            while start <= last {
                // memchr for the first byte, memcmp for the rest: the text can
                // be tens of kilobytes and this runs per hit and per target.
                guard let hit = memchr(base + start, Int32(needleBytes[0]), last - start + 1) else { break }
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + index, needleBytes.baseAddress!, needle.count) == 0 {
                    found.append(index..<(index + needle.count))
                    start = overlapping ? index + 1 : index + needle.count
                } else {
                    start = index + 1
                }
            }
        }
        return found
    }

    /// A lowercase ASCII word, case-insensitively, not inside a longer word;
    /// `asPrefix`: the whole of every word that starts with it.
    private static func wordOccurrences(_ word: [UInt8], in text: UnsafeBufferPointer<UInt8>, asPrefix: Bool = false) -> [Range<Int>] {
        func lower(_ byte: UInt8) -> UInt8 { (byte &- 0x41) < 26 ? byte | 0x20 : byte }
        func isWordByte(_ byte: UInt8) -> Bool { (byte &- 0x30) < 10 || ((byte | 0x20) &- 0x61) < 26 }
        guard !word.isEmpty, word.count <= text.count else { return [] }
        var found: [Range<Int>] = []
        var index = 0
        while index + word.count <= text.count {
            var matches = true
            for offset in 0..<word.count where lower(text[index + offset]) != word[offset] {
                matches = false
                break
            }
            let before = index > 0 ? text[index - 1] : 0x20
            let after = index + word.count < text.count ? text[index + word.count] : 0x20
            if matches, asPrefix, !isWordByte(before) || !isWordByte(word[0]) {
                var end = index + word.count
                while end < text.count, isWordByte(text[end]) { end += 1 }
                found.append(index..<end)
                index = end
            } else if matches, !isWordByte(before) || !isWordByte(word[0]), !isWordByte(after) || !isWordByte(word[word.count - 1]) {
                found.append(index..<(index + word.count))
                index += word.count
            } else {
                index += 1
            }
        }
        return found
    }
}
