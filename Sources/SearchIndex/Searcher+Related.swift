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
        let expansion: [(term: String, weight: Double)]
        do {
            expansion = try database.expand(uniqueTerm: IndexSchema.Prefix.id + id, maxTerms: ranking.relatedTerms, minAssociation: ranking.minimumBigramAssociation)
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
        // Numbers (the unit's own label `5-3`, years, counts) say nothing
        // about what a unit is about.
        let terms = expansion.map(\.term).filter { term in
            term.unicodeScalars.contains { $0.properties.isAlphabetic }
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
            hits.append(hit(for: try decodeRecord(match.data), score: match.weight, highlighting: terms.map { [$0] }, snippetLength: 120))
        }
        return RelatedResults(id: id, terms: terms, hits: hits)
    }
}
