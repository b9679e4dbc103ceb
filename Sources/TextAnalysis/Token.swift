/// One term of normalised text, with where it sits in both the normalised and the original
/// text (as tantivy's `Token` does), so that a highlight computed on terms lands on what the
/// user reads.
///
/// ```swift
/// let tokens = try Analyzer().tokenize("ＡＩ赋能")
/// tokens.map(\.text)              // ["ai", "赋", "能"]
/// tokens.map(\.position)          // [0, 1, 2]
/// tokens[0].normalizedRange       // 0..<2
/// tokens[0].originalRange         // 0..<6, the bytes of "ＡＩ"
/// ```
public struct Token: Sendable, Hashable {
    /// What kind of text a token holds.
    public enum Kind: Sendable, Hashable {
        /// One CJK character (Han, kana, Hangul), or two for a bigram from ``cjkBigrams(_:)``.
        case cjk
        /// Letters, possibly with digits and joiners: `ai`, `5g`, `1+x`, `sk-2`, `c++`.
        case word
        /// Digits only, possibly with joiners and a trailing `%`: `2024`, `96.43%`, `17.76:1`.
        case number
    }

    /// The normalised text of the token; this is the term to index or search for.
    public let text: String
    /// 0-based position among the tokens of the text; consecutive for ``Analyzer/tokenize(_:)``.
    public let position: Int
    /// UTF-8 byte range in ``NormalizedText/normalized``.
    public let normalizedRange: Range<Int>
    /// UTF-8 byte range in ``NormalizedText/original`` that produced the token.
    public let originalRange: Range<Int>
    /// What the token holds.
    public let kind: Kind

    public init(text: String, position: Int, normalizedRange: Range<Int>, originalRange: Range<Int>, kind: Kind) {
        self.text = text
        self.position = position
        self.normalizedRange = normalizedRange
        self.originalRange = originalRange
        self.kind = kind
    }
}
