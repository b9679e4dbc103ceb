/// A search as the CLI and the daemon describe it: query text, structured
/// filters, facets, sort, page.
///
/// ```swift
/// var request = SearchRequest(query: "产教融合")
/// request.filters[.kind] = ["case"]
/// request.facets = [.school, .year]
/// let results = try searcher.search(request)
/// ```
public struct SearchRequest: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        /// Best match first; a query without text (browse) sorts newest first.
        case relevance
        case yearDescending = "year"
        case yearAscending = "year-asc"
    }

    public static let defaultLimit = 10
    public static let maximumLimit = 100
    public static let maximumOffset = 100_000
    /// Filter values over all fields (each is a boolean term of the query).
    public static let maximumFilterValues = 100

    public var query: String
    /// Several values of one field are ORed, different fields are ANDed.
    public var filters: [QueryField: [String]] = [:]
    public var facets: [FacetField] = []
    public var sort: Sort = .relevance
    public var offset = 0
    public var limit = SearchRequest.defaultLimit
    /// Characters of context in each hit's snippet; 0 turns snippets off.
    public var snippetLength = 120
    /// Adds, per hit, the matched terms, their origin and field, and score parts.
    public var explain = false
    /// Whether partial hits (`MatchKind.partial`) may follow the exact ones
    /// when the exact hits do not fill the page. Off for exports, and for
    /// callers that want only what `total` counts.
    public var partialHits = true

    public init(query: String = "") {
        self.query = query
    }

    /// No query text and no filter: a search for nothing, which the daemon
    /// and the CLI refuse (browsing takes at least one filter).
    public var isEmpty: Bool {
        query.trimmingCharacters(in: .whitespaces).isEmpty && filters.values.allSatisfy(\.isEmpty)
    }

    /// Checks the ranges: limit, offset, snippet length, filter values.
    /// `Searcher.search` checks them too; callers that want the error
    /// before asking (the CLI, as a usage error) call this.
    public func validate() throws(SearchError) {
        let filterValues = filters.values.reduce(0) { $0 + $1.count }
        guard filterValues <= Self.maximumFilterValues else {
            throw SearchError(.badParameter, "\(filterValues) filter values; the limit is \(Self.maximumFilterValues) over all fields", context: "filters")
        }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw SearchError(.badParameter, "limit must be between 1 and \(Self.maximumLimit), not \(limit)", context: "limit")
        }
        guard (0...Self.maximumOffset).contains(offset) else {
            throw SearchError(.badParameter, "offset must be between 0 and \(Self.maximumOffset), not \(offset)", context: "offset")
        }
        guard (0...1000).contains(snippetLength) else {
            throw SearchError(.badParameter, "snippet length must be between 0 and 1000, not \(snippetLength)", context: "snippet")
        }
    }
}

/// Fields results can be counted by.
public enum FacetField: String, Sendable, CaseIterable, Codable {
    case school, year, kind, chapter, district, report
    /// The years a unit's data refer to; a unit about 2023 and 2024 counts
    /// under both.
    case dataYear = "data_year"

    var slot: Int {
        switch self {
        case .school: return IndexSchema.Slot.schools
        case .year: return IndexSchema.Slot.yearText
        case .kind: return IndexSchema.Slot.kind
        case .chapter: return IndexSchema.Slot.chapter
        case .district: return IndexSchema.Slot.districts
        case .report: return IndexSchema.Slot.report
        case .dataYear: return IndexSchema.Slot.dataYears
        }
    }

    var isMultiValued: Bool { self == .school || self == .district || self == .dataYear }
}
