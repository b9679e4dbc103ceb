/// How `XapianDatabase.search` ranks, pages and counts.
struct XapianSearchOptions: Sendable {
    enum Sort: Sendable, Equatable {
        case relevance
        /// By the bytes of a value slot (see `XapianValue.sortable`), ties by relevance.
        case value(slot: Int, descending: Bool)
        /// No weights, in docid order: the cheapest way to ask whether
        /// anything matches.
        case unranked
    }

    /// Hits `offset ..< offset + limit` of the ranking.
    var offset = 0
    var limit = 10
    /// Xapian's checkatleast. Totals (`estimated` == `lowerBound` ==
    /// `upperBound`) and facet counts are exact only when it is at least the
    /// number of matches: pass the document count for exact results.
    var checkAtLeast = 0
    var sort: Sort = .relevance
    /// Xapian::BM25Weight parameters.
    var k1 = 1.2, k2 = 0.0, k3 = 1.0, b = 0.75, minNormLength = 0.5
    /// Value slots to count over all matches (see `checkAtLeast`).
    var facetSlots: [Int] = []
    /// Those of `facetSlots` that hold several values joined by 0x1F
    /// (`XapianValue.multiValue`); each value counts once per document.
    var multiValuedSlots: Set<Int> = []
    /// Fill `XapianHit.matchingTerms` (costs a termlist walk per hit).
    var includeMatchingTerms = false
    /// Leave `XapianHit.data` empty: the caller has the data of most hits
    /// already and fetches the rest with `XapianDatabase.data(ofDocument:)`.
    var skipData = false
}

/// One ranked document, copied out of Xapian.
struct XapianHit: Sendable {
    let docid: UInt32
    let weight: Double
    /// What `XapianDocument.setData` stored (empty with `skipData`).
    let data: [UInt8]
    /// The query's terms that index this document (if requested), in query order.
    let matchingTerms: [String]
}

/// The result of a search, complete: nothing refers back to Xapian.
struct XapianMatches: Sendable {
    let hits: [XapianHit]
    let estimated: Int
    let lowerBound: Int
    let upperBound: Int
    /// Per requested slot: its values with the number of matching documents
    /// holding each, sorted by count (descending) then value (bytes ascending).
    let facets: [Int: [(value: [UInt8], count: Int)]]
}
