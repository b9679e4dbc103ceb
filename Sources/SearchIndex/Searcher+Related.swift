import Reports
import TextAnalysis

/// Units related to a given one, and the terms that relate them.
public struct RelatedResults: Codable, Sendable {
    public var id: String
    /// The unit's most characteristic terms (Xapian's expand set, single
    /// characters and word-straddling bigrams removed), shown as the words
    /// they stand in (`wholeWords`).
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

    /// At most this many characters in a word grown from a bigram; a
    /// longer run is a passage two units share, not a word.
    static let maximumWordLength = 7
    /// Units read to find what surrounds a bigram wherever it is written.
    static let contextSampleUnits = 64

    /// The related terms as a reader names them, with no dictionary: where
    /// a word ends shows in text as the place where what follows varies.
    ///
    /// Each bigram grows, where the unit first writes it, by the characters
    /// around it for as long as most (two thirds, and at least three) of
    /// its occurrences in the index have the same ones: 子商 is nearly always
    /// inside 电子商务, so that is shown; 电子 is followed by 商, 信 and others,
    /// so it stays 电子. Then an edge character goes when the rest is mostly
    /// written without it: 与就 grows to 与就业, and 就业 is written after many
    /// characters, so 就业 is shown. A run longer than `maximumWordLength`
    /// is a passage units share, not a word, and is not shown. A word
    /// inside one listed before is left out; one that holds words listed
    /// before takes their place. Latin terms stay. Only what is shown
    /// changes: the related units are still found by the bigrams.
    func wholeWords(_ terms: [String], in unit: ReportUnit) throws(SearchError) -> [String] {
        let own = Array(analyzer.normalize(unit.title + "\n" + unit.text).normalized)
        var texts: [UInt32: [Character]] = [:]
        func contexts(of run: [Character]) throws(SearchError) -> RunContexts {
            var options = searchOptions(limit: Self.contextSampleUnits)
            options.sort = .unranked
            let matches = try self.run(compiler.sequenceQuery(analyzer.tokenize(String(run))), options: options)
            var contexts = RunContexts(of: run)
            for match in matches.hits {
                if texts[match.docid] == nil {
                    let record = try record(match.docid)
                    texts[match.docid] = Array(analyzer.normalize(record.title + "\n" + record.text).normalized)
                }
                contexts.add(texts[match.docid]!)
            }
            return contexts
        }
        var words: [String] = []
        for term in terms {
            let characters = Array(term)
            guard characters.count == 2, characters.allSatisfy(Self.isCJK) else {
                if !words.contains(term) { words.append(term) }
                continue
            }
            guard let anchor = RunContexts(of: characters).occurrences(in: own).first else { continue }
            var word = try contexts(of: characters).grown(around: anchor)
            guard word.count <= Self.maximumWordLength else { continue }
            while word.count > 2, !(try contexts(of: Array(word.dropFirst())).mostlyFollow(word[0])) { word.removeFirst() }
            while word.count > 2, !(try contexts(of: Array(word.dropLast())).mostlyPrecede(word[word.count - 1])) { word.removeLast() }
            let text = String(word)
            if words.contains(where: { $0.contains(text) }) { continue }
            if let first = words.firstIndex(where: { text.contains($0) }) {
                words.removeAll { text.contains($0) }
                words.insert(text, at: min(first, words.count))
            } else {
                words.append(text)
            }
        }
        return words
    }

    /// What surrounds each occurrence of a run of characters: the CJK
    /// characters before it (nearest first) and after it, up to a word's
    /// length.
    struct RunContexts {
        struct Context {
            var before: [Character]
            var after: [Character]
        }

        let run: [Character]
        private(set) var all: [Context] = []
        /// The share of occurrences that must agree for a word to take a
        /// character.
        static let agreement = 2.0 / 3.0
        /// Occurrences that must agree as well: two units sharing a
        /// sentence (a story told twice) say nothing about where its words
        /// end.
        static let minimumEvidence = 2

        init(of run: [Character]) { self.run = run }

        mutating func add(_ text: [Character]) { all += occurrences(in: text) }

        func occurrences(in text: [Character]) -> [Context] {
            var found: [Context] = []
            var index = 0
            while index + run.count <= text.count {
                defer { index += 1 }
                guard text[index..<(index + run.count)].elementsEqual(run) else { continue }
                var context = Context(before: [], after: [])
                var cursor = index - 1
                while cursor >= 0, context.before.count < Searcher.maximumWordLength, Searcher.isCJK(text[cursor]) {
                    context.before.append(text[cursor])
                    cursor -= 1
                }
                cursor = index + run.count
                while cursor < text.count, context.after.count < Searcher.maximumWordLength, Searcher.isCJK(text[cursor]) {
                    context.after.append(text[cursor])
                    cursor += 1
                }
                found.append(context)
            }
            return found
        }

        private var needed: Int { max(Int((Double(all.count) * Self.agreement).rounded(.up)), Self.minimumEvidence) }

        /// The run grown over `anchor`'s characters, first to the left and
        /// then to the right, while enough occurrences agree.
        func grown(around anchor: Context) -> [Character] {
            var left = 0
            while left < anchor.before.count, all.count(where: { $0.before.starts(with: anchor.before.prefix(left + 1)) }) >= needed {
                left += 1
            }
            // Only the occurrences that share the left part vote on the right.
            let agreeing = all.filter { $0.before.starts(with: anchor.before.prefix(left)) }
            var right = 0
            while right < anchor.after.count, agreeing.count(where: { $0.after.starts(with: anchor.after.prefix(right + 1)) }) >= needed {
                right += 1
            }
            return anchor.before.prefix(left).reversed() + run + anchor.after.prefix(right)
        }

        /// Whether enough occurrences of the run have `character` just before.
        func mostlyFollow(_ character: Character) -> Bool { all.count(where: { $0.before.first == character }) >= needed }
        /// Whether enough occurrences of the run have `character` just after.
        func mostlyPrecede(_ character: Character) -> Bool { all.count(where: { $0.after.first == character }) >= needed }
    }

    static func isCJK(_ character: Character) -> Bool {
        character.unicodeScalars.count == 1 && character.unicodeScalars.allSatisfy(Tokenizer.isCJK)
    }
}
