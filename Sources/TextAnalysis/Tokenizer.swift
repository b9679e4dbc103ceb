/// Cuts normalised text into tokens: one token per CJK character, one per Latin/digit word.
///
/// Rules, applied to the output of the ``Analyzer``'s normalisation (so `ＡＩ` is already `ai`
/// and `，` is already `,`):
/// - **CJK** (see ``isCJK(_:)``): every character is its own ``Token/Kind-swift.enum/cjk``
///   token with its own position, as Xapian's `FLAG_CJK_NGRAM` indexes unigrams. Combining
///   marks (variation selectors, a stray dakuten) stay with the character before them.
///   ``cjkBigrams(_:)`` derives bigrams for callers that want them.
/// - **Words** are runs of letters and digits of any non-CJK script, plus their combining
///   marks, plus these joiners:
///   - `-` and `+` between two alphanumerics: `sk-2`, `2023-2024`, `1+x`, `1+1+n`, `3+2`;
///   - `.` and `:` between two digits: `96.43`, `17.76:1`, `v1.2` (but `node.js` is `node`, `js`);
///   - `&` between two letters: `r&d`;
///   - a `%` or `‰` right after a digit ends the token and stays in it: `96.43%`;
///   - `++` right after a letter ends the token and stays in it: `c++`, `g++`;
///   - `#` right after a one-letter word ends the token and stays in it: `c#`, `f#`.
///
///   A lone trailing `+` is *not* kept: `3+证书` gives `3`, `证`, `书`, and `ai+教育` gives `ai`,
///   `教`, `育`. In these reports a trailing `+` is a slogan suffix ("互联网+", "数字+",
///   "AI+"), and a search for `ai` or `3` should find it; the phrase `3+证书` still matches,
///   because the query is cut the same way and its tokens are adjacent. Commas are never
///   joiners (`1,000` gives `1`, `000`), since NFKC turns the Chinese list comma `，` into
///   `,` and `1，2，3` must stay three numbers.
/// - A CJK character next to a word splits it (`ai赋能` gives `ai`, `赋`, `能`); whitespace,
///   punctuation, symbols and emoji split tokens and produce none.
///
/// A word whose alphanumerics are all digits is a ``Token/Kind-swift.enum/number``,
/// anything else with letters is a ``Token/Kind-swift.enum/word``.
///
/// ```swift
/// let text = try Analyzer().normalize("1+X证书 96.43%")
/// Tokenizer().tokens(in: text).map(\.text)   // ["1+x", "证", "书", "96.43%"]
/// ```
public struct Tokenizer: Sendable {
    public init() {}

    /// Tokens of `text.normalized`, positions from 0, each mapped back into `text.original`.
    public func tokens(in text: NormalizedText) -> [Token] {
        var normalized = text.normalized
        return normalized.withUTF8 { bytes in
            text.withOriginalRangeMapper { mapper in
                var tokens: [Token] = []
                tokens.reserveCapacity(bytes.count / 3)
                var i = 0
                while i < bytes.count {
                    let (value, length) = UTF8Scanner.decode(bytes, at: i)
                    let end: Int
                    let kind: Token.Kind
                    switch Self.classify(value) {
                    case .cjk:
                        end = Self.skipMarks(bytes, from: i + length)
                        kind = .cjk
                    case .letter:
                        end = Self.scanWord(bytes, from: i, first: .letter).end
                        kind = .word
                    case .digit:
                        let word = Self.scanWord(bytes, from: i, first: .digit)
                        end = word.end
                        kind = word.hasLetter ? .word : .number
                    case .mark, .other:
                        i += length
                        continue
                    }
                    tokens.append(
                        Token(
                            text: String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self),
                            position: tokens.count,
                            normalizedRange: i..<end,
                            originalRange: mapper.originalRange(forNormalized: i..<end),
                            kind: kind))
                    i = end
                }
                return tokens
            }
        }
    }

    // MARK: - CJK

    /// Whether a scalar is written as one-token-per-character text for n-gram purposes:
    /// Han ideographs (all blocks: unified, extensions A-I in planes 2-3, compatibility,
    /// radicals, `々〆〇〻`, Hangzhou numerals), Hiragana, Katakana (not the middle dot `・`),
    /// kana repeat marks, Bopomofo, Hangul (syllables and jamo), half-width kana and Hangul,
    /// Tangut, Khitan, Nüshu.
    ///
    /// ```swift
    /// Tokenizer.isCJK("职")   // true
    /// Tokenizer.isCJK("か")   // true
    /// Tokenizer.isCJK("a")    // false
    /// Tokenizer.isCJK("，")   // false: punctuation splits runs
    /// ```
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        isCJK(scalar.value)
    }

    @inline(__always)
    static func isCJK(_ value: UInt32) -> Bool {
        if value < 0x1100 { return false }
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x3FFFF, 0xF900...0xFAFF: return true  // Han
        case 0x2E80...0x2FDF: return true  // CJK and Kangxi radicals
        // 々〆〇, Hangzhou numerals, kana repeat marks, 〻〼
        case 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035, 0x3038...0x303C: return true
        case 0x3041...0x3096, 0x309D...0x309F: return true  // Hiragana
        case 0x30A1...0x30FA, 0x30FC...0x30FF, 0x31F0...0x31FF: return true  // Katakana
        case 0x3105...0x312F, 0x31A0...0x31BF: return true  // Bopomofo
        case 0x1100...0x11FF, 0x3131...0x318E, 0xA960...0xA97F, 0xAC00...0xD7FF: return true  // Hangul
        case 0xFF66...0xFF9D, 0xFFA0...0xFFDC: return true  // half-width Katakana, Hangul
        case 0x1B000...0x1B16F: return true  // Kana supplement and extensions
        case 0x17000...0x18D8F, 0x1B170...0x1B2FF: return true  // Tangut, Khitan, Nüshu
        default: return false
        }
    }

    // MARK: - Classification

    enum CharacterClass {
        case cjk, letter, digit, mark, other
    }

    @inline(__always)
    static func classify(_ value: UInt32) -> CharacterClass {
        if value < 0x80 {
            if value >= 0x30 && value <= 0x39 { return .digit }
            if (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A { return .letter }
            return .other
        }
        if isCJK(value) { return .cjk }
        switch value {
        // General punctuation, CJK symbols and punctuation (not the marks at U+302A-302F;
        // the CJK ones were caught above): frequent in Chinese text and never letters,
        // digits or marks.
        case 0x2000...0x206F, 0x3000...0x3029, 0x3030...0x303F:
            return .other
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .decimalNumber: return .digit
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        default: return properties.isAlphabetic ? .letter : .other
        }
    }

    private static func skipMarks(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < bytes.count {
            let (value, length) = UTF8Scanner.decode(bytes, at: i)
            guard value >= 0x300, classify(value) == .mark else { break }
            i += length
        }
        return i
    }

    // MARK: - Words

    /// Scans a word starting with a letter or digit at `start`; returns its end and whether
    /// it holds a letter.
    private static func scanWord(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, first: CharacterClass
    ) -> (end: Int, hasLetter: Bool) {
        let count = bytes.count
        var last = first  // class of the last alphanumeric
        var hasLetter = first == .letter
        var alphanumerics = 1
        var i = start + UTF8Scanner.scalarLength(lead: bytes[start])

        /// Class of the scalar at `index`, `.other` past the end.
        func classAt(_ index: Int) -> CharacterClass {
            index < count ? classify(UTF8Scanner.decode(bytes, at: index).value) : .other
        }

        while i < count {
            let (value, length) = UTF8Scanner.decode(bytes, at: i)
            let cls = classify(value)
            switch cls {
            case .letter, .digit:
                last = cls
                hasLetter = hasLetter || cls == .letter
                alphanumerics += 1
                i += length
                continue
            case .mark:
                i += length
                continue
            case .cjk:
                return (i, hasLetter)
            case .other:
                break
            }
            let next = classAt(i + length)
            let nextIsAlphanumeric = next == .letter || next == .digit
            let joins: Bool
            switch value {
            case 0x2D, 0x2B: joins = nextIsAlphanumeric  // - + between alphanumerics
            case 0x2E, 0x3A: joins = last == .digit && next == .digit  // . : inside numbers
            case 0x26: joins = last == .letter && next == .letter  // &
            default: joins = false
            }
            if joins {
                i += length
                continue
            }
            // Suffixes that stay in the token and end it.
            if (value == 0x25 || value == 0x2030) && last == .digit {  // 96.43%
                return (i + length, hasLetter)
            }
            if value == 0x2B && last == .letter && i + 1 < count && bytes[i + 1] == 0x2B {  // c++
                return (i + 2, hasLetter)
            }
            if value == 0x23 && last == .letter && alphanumerics == 1 && !nextIsAlphanumeric {  // c#
                return (i + 1, hasLetter)
            }
            return (i, hasLetter)
        }
        return (i, hasLetter)
    }
}
