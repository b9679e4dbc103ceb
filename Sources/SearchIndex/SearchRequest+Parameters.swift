import Foundation

/// A search request as URL query parameters: the one encoding the daemon
/// reads (`GET /v1/search?q=…`) and the CLI sends when it asks a daemon, so
/// that a parameter is added in one place.
///
/// ```swift
/// let request = try SearchRequest(parameters: [("q", "产教融合"), ("kind", "case"), ("facets", "school,year")])
/// request.parameters   // [("q", "产教融合"), ("kind", "case"), ("facets", "school,year")]
/// ```
extension SearchRequest {
    /// The filter parameters, each a field of the query language; repeated
    /// values are ORed.
    public static let filterParameters: [(name: String, field: QueryField)] = [
        ("school", .school), ("year", .year), ("kind", .kind), ("chapter", .chapter), ("district", .district), ("report", .report),
        ("data_year", .dataYear),
    ]

    /// Every parameter a search request reads.
    public static let parameterNames: Set<String> =
        Set(["q", "facets", "sort", "offset", "limit", "snippet", "explain", "partial"]).union(filterParameters.map(\.name))

    /// Reads `parameters` (a name may repeat where a list is meant: the
    /// filters, `facets`, which may also be comma-separated). Names it does
    /// not know are left to the caller (each route allows its own extras).
    /// A value that cannot be read is a `bad_parameter` (an unknown facet
    /// an `unknown_field`); ranges are checked when the request runs.
    public init(parameters: [(name: String, value: String)]) throws(SearchError) {
        func values(_ name: String) -> [String] { parameters.filter { $0.name == name }.map(\.value) }
        func value(_ name: String) throws(SearchError) -> String? {
            let all = values(name)
            guard all.count <= 1 else {
                throw SearchError(.badParameter, "parameter '\(name)' is given \(all.count) times; give it once", context: name)
            }
            return all.first
        }
        func integer(_ name: String) throws(SearchError) -> Int? {
            guard let text = try value(name) else { return nil }
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw SearchError(.badParameter, "\(name) must be a whole number, not '\(text.prefix(40))'", context: name)
            }
            return number
        }

        self.init(query: try value("q") ?? "")
        for (name, field) in Self.filterParameters {
            let given = values(name).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            if !given.isEmpty { filters[field] = given }
        }
        facets = try values("facets").flatMap { $0.split(separator: ",") }.map { name throws(SearchError) in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let field = FacetField(rawValue: trimmed) else {
                throw SearchError(
                    .unknownField,
                    "unknown facet field '\(trimmed.prefix(40))'; fields are \(FacetField.allCases.map(\.rawValue).joined(separator: ", "))",
                    context: "facets")
            }
            return field
        }
        if let text = try value("sort") {
            guard let parsed = Sort(rawValue: text) else {
                throw SearchError(.badParameter, "unknown sort '\(text.prefix(40))'; use relevance, year or year-asc", context: "sort")
            }
            sort = parsed
        }
        if let number = try integer("offset") { offset = number }
        if let number = try integer("limit") { limit = number }
        if let number = try integer("snippet") { snippetLength = number }
        if let text = try value("explain") { explain = try Self.boolean(text, name: "explain") }
        if let text = try value("partial") { partialHits = try Self.boolean(text, name: "partial") }
    }

    /// The request as parameters, in a stable order, leaving out what has
    /// its default value: `init(parameters:)` reads them back to an equal
    /// request.
    public var parameters: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        if !query.isEmpty { out.append(("q", query)) }
        for (name, field) in Self.filterParameters {
            for value in filters[field] ?? [] { out.append((name, value)) }
        }
        if !facets.isEmpty { out.append(("facets", facets.map(\.rawValue).joined(separator: ","))) }
        let defaults = SearchRequest()
        if sort != defaults.sort { out.append(("sort", sort.rawValue)) }
        if offset != defaults.offset { out.append(("offset", String(offset))) }
        if limit != defaults.limit { out.append(("limit", String(limit))) }
        if snippetLength != defaults.snippetLength { out.append(("snippet", String(snippetLength))) }
        if explain != defaults.explain { out.append(("explain", String(explain))) }
        if partialHits != defaults.partialHits { out.append(("partial", String(partialHits))) }
        return out
    }

    /// A boolean parameter as people and their languages write one:
    /// true/false, 1/0, yes/no, on/off, in any case (Python sends `True`).
    public static func boolean(_ text: String, name: String) throws(SearchError) -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            throw SearchError(.badParameter, "\(name) must be true or false (or 1/0, yes/no), not '\(text.prefix(20))'", context: name)
        }
    }
}
