import Reports
import TextAnalysis

/// Units related to a given one, and the terms that relate them.
public struct RelatedResults: Codable, Sendable {
    public var id: String
    /// The unit's most characteristic terms (Xapian's expand set, single
    /// characters and word-straddling bigrams removed).
    public var terms: [String]
    public var hits: [SearchHit]
}

extension Searcher {
    /// Other units (cases by default) about the same things as `id`, never
    /// `id` itself.
    ///
    /// The unit's expand set (`Enquire::get_eset` with the unit as the only
    /// relevant document) gives its characteristic terms; an ExpandDecider
    /// drops single characters and bigrams that straddle word boundaries
    /// (建产, 化产: rare as a pair compared with their characters).
    public func related(to id: String, limit: Int = 10, kinds: [UnitKind] = [.case]) throws(SearchError) -> RelatedResults {
        guard (1...SearchRequest.maximumLimit).contains(limit) else {
            throw SearchError(.badParameter, "limit must be between 1 and \(SearchRequest.maximumLimit), not \(limit)", context: "limit")
        }
        let unit = try unit(id)
        // Ask for more terms than needed, then keep those that can relate
        // this unit to another: a term found in this unit alone (often a
        // bigram straddling two words, 额超 of 金额超过) matches nothing else,
        // and numbers (the unit's own label `5-3`, years) are not topics.
        var terms: [String] = []
        do {
            let expansion = try database.expand(
                uniqueTerm: IndexSchema.Prefix.id + id, maxTerms: ranking.relatedTerms * 3,
                minAssociation: ranking.minimumBigramAssociation)
            for (term, _) in expansion where terms.count < ranking.relatedTerms {
                guard term.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { continue }
                guard try database.termFrequency(term) >= 2 else { continue }
                terms.append(term)
            }
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
        guard !terms.isEmpty else { return RelatedResults(id: id, terms: [], hits: []) }
        var query = XapianQuery.combine(.or, terms.map { XapianQuery.term($0) })
        query = .combine(.andNot, [query, .term(IndexSchema.Prefix.id + id)])
        if !kinds.isEmpty {
            query = .combine(.filter, [query, .combine(.or, kinds.map { XapianQuery.term(IndexSchema.Prefix.kind + $0.rawValue) })])
        }
        let matches = try run(query, options: searchOptions(limit: limit))
        var hits: [SearchHit] = []
        for match in matches.hits {
            // Terms are single tokens (characters were dropped), so each is its own highlight.
            hits.append(hit(for: try record(match.docid), score: match.weight, highlighting: terms.map { [$0] }, snippetLength: 120))
        }
        return RelatedResults(id: id, terms: try wholeWords(terms, in: unit), hits: hits)
    }

    /// At most this many characters in a word grown from a bigram.
    static let maximumWordLength = 12

    /// The related terms as a reader names them: each bigram grown, where
    /// it stands in the unit, over its neighbours while each new pair of
    /// characters stands together often (the association of
    /// `Ranking.minimumBigramAssociation`) and the longer run is written in
    /// two other units too: 子商 and 电子 both become 电子商务. A word inside one
    /// listed before is left out; one that holds words listed before takes
    /// their place. Latin terms stay. Only what is shown changes: the
    /// related units are still found by the bigrams.
    func wholeWords(_ terms: [String], in unit: ReportUnit) throws(SearchError) -> [String] {
        let text = Array(analyzer.normalize(unit.title + "\n" + unit.text).normalized)
        var frequencies: [String: Int] = [:]
        func frequency(_ term: String) throws(SearchError) -> Int {
            if let known = frequencies[term] { return known }
            do {
                let value = try database.termFrequency(term)
                frequencies[term] = value
                return value
            } catch {
                throw Self.translate(error, path: location.database.path)
            }
        }
        func together(_ a: Character, _ b: Character) throws(SearchError) -> Bool {
            guard Self.isCJK(a), Self.isCJK(b) else { return false }
            let alone = min(try frequency(String(a)), try frequency(String(b)))
            guard alone > 0 else { return false }
            let pair = try frequency(String([a, b]))
            return Double(pair) / Double(alone) >= ranking.minimumBigramAssociation
        }
        /// Whether the run is written in two other units too: a word recurs,
        /// a phrase grown past a word's end (产业学院正式) rarely does (and a
        /// story a report tells twice, as the seed does, is one other unit).
        func recurs(_ run: ArraySlice<Character>) throws(SearchError) -> Bool {
            let tokens = analyzer.tokenize(String(run))
            var options = searchOptions(limit: 3)
            options.sort = .unranked
            return try self.run(compiler.sequenceQuery(tokens), options: options).hits.count >= 3
        }
        var words: [String] = []
        for term in terms {
            let characters = Array(term)
            guard characters.count == 2, characters.allSatisfy(Self.isCJK),
                  var start = (0..<max(0, text.count - 1)).first(where: { text[$0] == characters[0] && text[$0 + 1] == characters[1] })
            else {
                if !words.contains(term) { words.append(term) }
                continue
            }
            var end = start + 2
            while start > 0, end - start < Self.maximumWordLength {
                guard try together(text[start - 1], text[start]), try recurs(text[(start - 1)..<end]) else { break }
                start -= 1
            }
            while end < text.count, end - start < Self.maximumWordLength {
                guard try together(text[end - 1], text[end]), try recurs(text[start...end]) else { break }
                end += 1
            }
            let word = String(text[start..<end])
            if words.contains(where: { $0.contains(word) }) { continue }
            if let first = words.firstIndex(where: { word.contains($0) }) {
                words.removeAll { word.contains($0) }
                words.insert(word, at: min(first, words.count))
            } else {
                words.append(word)
            }
        }
        return words
    }

    private static func isCJK(_ character: Character) -> Bool {
        character.unicodeScalars.count == 1 && character.unicodeScalars.allSatisfy(Tokenizer.isCJK)
    }
}
