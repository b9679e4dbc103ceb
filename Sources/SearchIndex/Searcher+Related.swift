import Reports

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
        _ = try unit(id)
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
        return RelatedResults(id: id, terms: terms, hits: hits)
    }
}
