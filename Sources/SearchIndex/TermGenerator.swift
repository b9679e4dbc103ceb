import TextAnalysis

/// Turns normalised text into Xapian terms, the same way for documents and
/// for queries.
///
/// Xapian's own FLAG_CJK_NGRAM scheme, reproduced on our normalised tokens:
/// every CJK character is a term WITH a position (phrases of characters find
/// exact runs), every pair of adjacent characters is a term WITHOUT a position
/// (bigrams carry most of the ranking signal). Latin words and numbers keep
/// their joiners (`1+x`, `96.43%`, `17.76:1`) and have positions too. Doing
/// this ourselves rather than through Xapian::TermGenerator keeps index and
/// query time identical by construction (XAPIAN-NOTES: 1.4 does not fold
/// full-width text, and splits `1+x`).
struct TermGenerator: Sendable {
    let analyzer: Analyzer

    struct Posting {
        var term: String
        var position: Int
    }

    struct Terms {
        var postings: [Posting] = []
        /// Bigrams, with how often each occurs.
        var bigrams: [String: Int] = [:]
        var positionCount = 0
    }

    /// Terms of analysed `tokens`, positions starting at `firstPosition`.
    func terms(of tokens: [Token], firstPosition: Int = 0) -> Terms {
        var result = Terms()
        for token in tokens where token.text.utf8.count <= IndexSchema.maximumTermBytes {
            result.postings.append(Posting(term: token.text, position: firstPosition + token.position))
        }
        for bigram in cjkBigrams(tokens) {
            result.bigrams[bigram.text, default: 0] += 1
        }
        result.positionCount = (tokens.last?.position ?? -1) + 1
        return result
    }
}
