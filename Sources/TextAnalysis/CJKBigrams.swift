/// Overlapping bigrams of adjacent CJK unigrams: a token filter for callers that index or
/// search CJK text as pairs (as bleve's CJK analyzer and Xapian's `FLAG_CJK_NGRAM` do).
///
/// Two ``Token/Kind-swift.enum/cjk`` tokens form a bigram only when they come from the same
/// run, i.e. the first ends exactly where the second starts in the normalised text, so
/// punctuation, spaces and Latin words break runs. A bigram takes the position of its first
/// character, its text is the two characters, and its ranges span both. Only bigrams are
/// returned; a run of one character yields none (keep the unigrams if you need those).
///
/// ```swift
/// let tokens = try Analyzer().tokenize("产教融合，AI")
/// cjkBigrams(tokens).map(\.text)       // ["产教", "教融", "融合"]
/// cjkBigrams(tokens).map(\.position)   // [0, 1, 2]
/// ```
public func cjkBigrams(_ tokens: [Token]) -> [Token] {
    var bigrams: [Token] = []
    bigrams.reserveCapacity(tokens.count)
    for (first, second) in zip(tokens, tokens.dropFirst()) where first.touches(second) {
        bigrams.append(
            Token(
                text: first.text + second.text,
                position: first.position,
                normalizedRange: first.normalizedRange.lowerBound..<second.normalizedRange.upperBound,
                originalRange: first.originalRange.lowerBound
                    ..< max(first.originalRange.upperBound, second.originalRange.upperBound),
                kind: .cjk))
    }
    return bigrams
}

extension Token {
    /// Whether this token and `next` are CJK characters of one run: `next`
    /// starts exactly where this one ends in the normalised text (nothing,
    /// not even a space, between them), so the two make a bigram.
    public func touches(_ next: Token) -> Bool {
        kind == .cjk && next.kind == .cjk && normalizedRange.upperBound == next.normalizedRange.lowerBound
    }
}
