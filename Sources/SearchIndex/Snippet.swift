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
        if simplified, let marked = DirectMatcher.marks(in: original, targets: targets) {
            return render(original, marked: merge(marked), length: length)
        }
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
        let marked = merge(ranges).map { normalized.originalRange(forNormalized: $0) }
        return render(original, marked: marked, length: length)
    }

    // MARK: - Finding

    /// Normalised byte ranges where `target` occurs; for a CJK run with no
    /// exact occurrence, its longest sub-runs (≥ 2 characters) that do.
    private static func occurrences(of target: [String], in tokens: [Token], starts: [Substring: [Int]]) -> [Range<Int>] {
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
        let utf8 = Array(original.utf8)
        // Scalar start offsets (in bytes), to count and cut by characters: a
        // Chinese character is one scalar, and scalars are found from the
        // bytes alone (grapheme breaking is much slower and changes nothing
        // here).
        var starts: [Int] = []
        starts.reserveCapacity(utf8.count)
        for (offset, byte) in utf8.enumerated() where byte & 0xC0 != 0x80 { starts.append(offset) }
        starts.append(utf8.count)
        let characterCount = starts.count - 1
        func characterIndex(ofByte byte: Int) -> Int {
            var low = 0, high = characterCount
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= byte { low = middle } else { high = middle - 1 }
            }
            return low
        }

        var windowStart = 0
        if !marked.isEmpty {
            var best = (count: -1, start: 0)
            for mark in marked {
                // Start a little before the mark, so the reader sees its context.
                let start = max(0, characterIndex(ofByte: mark.lowerBound) - length / 5)
                let end = start + length
                let count = marked.filter { characterIndex(ofByte: $0.lowerBound) >= start && characterIndex(ofByte: $0.upperBound) <= end }.count
                if count > best.count { best = (count, start) }
            }
            windowStart = best.start
        }
        if characterCount - windowStart < length { windowStart = max(0, characterCount - length) }
        let windowEnd = min(characterCount, windowStart + length)
        let lowerByte = starts[windowStart], upperByte = starts[windowEnd]

        var text = windowStart > 0 ? "…" : ""
        var matches: [String] = []
        var cursor = lowerByte
        for mark in marked where mark.lowerBound >= lowerByte && mark.upperBound <= upperByte {
            text += String(decoding: utf8[cursor..<mark.lowerBound], as: UTF8.self)
            let passage = String(decoding: utf8[mark], as: UTF8.self)
            text += open + passage + close
            matches.append(passage)
            cursor = mark.upperBound
        }
        text += String(decoding: utf8[cursor..<upperByte], as: UTF8.self)
        if windowEnd < characterCount { text += "…" }
        // Paragraph breaks read as spaces in a one-line snippet.
        return Snippet(text: String(text.map { $0 == "\n" ? " " : $0 }), matches: matches)
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
        let text = Array(original.utf8)
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
                found += wordOccurrences(Array(word.utf8), in: text)
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
    /// characters (the same rule as the general path).
    private static func runOccurrences(_ run: [String], in text: [UInt8]) -> [Range<Int>] {
        let exact = occurrences(Array(run.joined().utf8), in: text)
        if !exact.isEmpty || run.count <= 2 { return exact }
        for size in stride(from: run.count - 1, through: 2, by: -1) {
            var found: [Range<Int>] = []
            for start in 0...(run.count - size) {
                found += occurrences(Array(run[start..<(start + size)].joined().utf8), in: text)
            }
            if !found.isEmpty { return found }
        }
        return []
    }

    private static func occurrences(_ needle: [UInt8], in text: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= text.count else { return [] }
        var found: [Range<Int>] = []
        var start = 0
        let first = needle[0]
        while start + needle.count <= text.count {
            guard let index = text[start...(text.count - needle.count)].firstIndex(of: first) else { break }
            if text[index..<(index + needle.count)].elementsEqual(needle) {
                found.append(index..<(index + needle.count))
                start = index + needle.count
            } else {
                start = index + 1
            }
        }
        return found
    }

    /// A lowercase ASCII word, case-insensitively, not inside a longer word.
    private static func wordOccurrences(_ word: [UInt8], in text: [UInt8]) -> [Range<Int>] {
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
            if matches, !isWordByte(before) || !isWordByte(word[0]), !isWordByte(after) || !isWordByte(word[word.count - 1]) {
                found.append(index..<(index + word.count))
                index += word.count
            } else {
                index += 1
            }
        }
        return found
    }
}
