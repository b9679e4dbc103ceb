import Reports

/// The answer to a `SearchRequest`. Field names are part of the JSON API.
public struct SearchResults: Codable, Sendable {
    public var query: String
    /// Exact number of matching units.
    public var total: Int
    public var offset: Int
    public var limit: Int
    public var tookMicroseconds: Int
    public var hits: [SearchHit]
    /// Per requested facet: every value with its count over the whole match set.
    public var facets: [String: [FacetCount]]
    /// Synonyms the query used: the typed form -> the forms added.
    public var synonyms: [String: [String]]?
    /// When nothing matches: queries to try instead (`Suggestion`).
    public var suggestions: [Suggestion]?

    enum CodingKeys: String, CodingKey {
        case query, total, offset, limit, tookMicroseconds = "took_us", hits, facets, synonyms, suggestions
    }
}

public struct SearchHit: Codable, Sendable {
    public var id: String
    public var kind: UnitKind
    public var report: String
    public var year: Int
    /// The case, table, figure, row or section number: `1-12`, `6-2.2`, `1.1.3`.
    public var number: String
    public var title: String
    public var chapter: ChapterRef?
    public var sectionPath: [String]
    public var headings: [String]
    public var schools: [SchoolRef]
    /// The pages of a PDF report the unit spans (physical, and printed
    /// where the report prints page numbers); absent for text reports.
    public var pages: PageSpan?
    public var score: Double
    /// `exact`: the unit contains every word of the query (these are what
    /// `total` and the facets count). `partial`: it follows every exact hit
    /// and matches only most of the query, or through its context.
    public var match: MatchKind = .exact
    /// ~120 characters around the best match, matches between « and ».
    public var snippet: String?
    /// The marked passages as written.
    public var matches: [String]?
    public var explain: Explanation?
}

/// How a hit matches the query (see `SearchHit.match`).
public enum MatchKind: String, Codable, Sendable {
    /// Every word, phrase and filter of the query: counted in `total` and the facets.
    case exact
    /// Shown after every exact hit and never counted: the unit matches all
    /// words but one of a query of several words, or it is a figure, table
    /// or row inside a case or section that matches exactly.
    case partial
}

public struct FacetCount: Codable, Sendable, Equatable {
    public var value: String
    /// For display: the school's name for a school id, the chapter title…
    public var label: String
    public var count: Int
    public init(value: String, label: String, count: Int) {
        self.value = value
        self.label = label
        self.count = count
    }
}

/// Why a hit ranks where it does.
public struct Explanation: Codable, Sendable {
    public struct Term: Codable, Sendable {
        public var term: String
        /// `body` (title and body text, title weighted), `title` (title:
        /// queries) or `school` (a school the query names; the term is its id).
        /// The index's filter terms are not listed.
        public var field: String
        public var origin: TermOrigin
        /// This term's own BM25 weight in this unit (before the query's scaling).
        public var weight: Double
        /// How many units contain the term.
        public var unitFrequency: Int
    }

    public var score: Double
    public var terms: [Term]
    /// The Xapian query that ran, for developers.
    public var query: String
}
