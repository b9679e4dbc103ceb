import TextAnalysis

/// Turns normalised text into Xapian terms, the same way for documents and
/// for queries.
///
/// The design makes "the unit contains this Chinese run" one cheap
/// positional query (see `QueryCompiler`):
/// - every pair of adjacent CJK characters is a bigram term WITH the
///   position of its first character: a run of three characters or more
///   is a phrase of its bigrams, which matches exactly where the run is
///   written (a bigram only exists where its two characters touch, so no
///   punctuation or line break can sit inside a match), and reads short
///   posting lists instead of the longest ones there are;
/// - every CJK character is a term (a one-character query), WITH its
///   position only where it begins or ends a run of CJK characters. Those
///   positions tie a run to a Latin word or number next to it (`ai赋能`,
///   `双11`, `1+x证书`): the phrase `双@p 11@p+1` needs 双 where the run ends.
///   Inside a run the bigrams carry the position, so the characters there
///   need none; that keeps the position table about the size of Xapian's
///   own FLAG_CJK_NGRAM scheme, which positions every character;
/// - Latin words and numbers keep their joiners (`1+x`, `96.43%`,
///   `17.76:1`) and have positions;
/// - positions count tokens, plus one extra between two CJK characters
///   that do not touch (punctuation, a space, a line break between them):
///   a bigram at p and another at p + 2 then hold four characters written
///   side by side, so a run needs only every other bigram in its phrase
///   (`QueryCompiler.sequenceQuery`), about half the position lists to read.
///
/// Doing this ourselves rather than through Xapian::TermGenerator keeps
/// index and query time identical by construction (XAPIAN-NOTES: 1.4 does
/// not fold full-width text, and splits `1+x`).
struct TermGenerator: Sendable {
    let analyzer: Analyzer

    struct Posting: Equatable {
        var term: String
        /// nil: the term counts (wdf) but has no position.
        var position: Int?
    }

    struct Terms {
        var postings: [Posting] = []
        var positionCount = 0
    }

    /// Terms of analysed `tokens`, positions starting at `firstPosition`.
    func terms(of tokens: [Token], firstPosition: Int = 0) -> Terms {
        var result = Terms()
        result.postings.reserveCapacity(tokens.count * 2)
        var position = firstPosition - 1
        for (index, token) in tokens.enumerated() {
            position += 1
            if index > 0, token.kind == .cjk, tokens[index - 1].kind == .cjk, !tokens[index - 1].touches(token) {
                position += 1
            }
            guard token.text.utf8.count <= IndexSchema.maximumTermBytes else { continue }
            guard token.kind == .cjk else {
                result.postings.append(Posting(term: token.text, position: position))
                continue
            }
            let joinsPrevious = index > 0 && tokens[index - 1].touches(token)
            let joinsNext = index + 1 < tokens.count && token.touches(tokens[index + 1])
            result.postings.append(Posting(term: token.text, position: joinsPrevious && joinsNext ? nil : position))
            if joinsNext {
                result.postings.append(Posting(term: token.text + tokens[index + 1].text, position: position))
            }
        }
        result.positionCount = position + 1 - firstPosition
        return result
    }
}
