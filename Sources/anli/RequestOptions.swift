import ArgumentParser
import SearchIndex

/// A search request as command-line options. Each option is one of the
/// daemon's parameters under its own name (`--data-year` for `data_year`),
/// and the parameters are read by the daemon's codec,
/// `SearchRequest(parameters:)`: the CLI checks a request exactly as the
/// daemon does, with the same messages, and a new parameter is an option
/// here plus its line in the codec.
///
/// ```
/// anli search 产教融合 --kind case --facets school --limit 5
///   → q=产教融合 kind=case facets=school limit=5 → SearchRequest
/// ```
protocol RequestOptions: ParsableArguments {
    /// The options given, as the daemon's parameters.
    var parameters: [(name: String, value: String)] { get }
}

extension RequestOptions {
    /// The request these options describe alone.
    func request() throws -> SearchRequest { try SearchRequest(options: parameters) }
}

extension SearchRequest {
    /// The request that command-line options describe, given as the
    /// daemon's parameters (several groups' together). What the codec
    /// refuses, or a value out of range, is a usage error: exit 2 with the
    /// command's usage, as an unknown option is.
    init(options parameters: [(name: String, value: String)]) throws {
        do {
            try self.init(parameters: parameters)
            try validate()
        } catch {
            throw ValidationError(error.message)
        }
    }
}

/// The query and the filters: what `search`, `facets` and `export` match.
struct QueryOptions: RequestOptions {
    @Argument(help: "The query; with filters it may be empty.")
    var query = ""

    @Option(help: "Only units about this school (id, name or alias); repeat to OR.")
    var school: [String] = []
    @Option(help: "Only this report year, or a range 2022..2024; repeat to OR.")
    var year: [String] = []
    @Option(help: "Only this kind: section, case, table, row, figure; repeat to OR.")
    var kind: [String] = []
    @Option(help: "Only this chapter, by number or title (5, 产教融合); repeat to OR.")
    var chapter: [String] = []
    @Option(help: "Only this district (区); repeat to OR.")
    var district: [String] = []
    @Option(help: "Only this report id; repeat to OR.")
    var report: [String] = []
    @Option(name: .customLong("data-year"), help: "Only units whose data or text refer to this year (2023, 2022..2024; --year is the report's); repeat to OR.")
    var dataYear: [String] = []

    /// The values given for a filter field. A switch, so that a new field
    /// of the query language does not compile until it has its option.
    func values(_ field: QueryField) -> [String] {
        switch field {
        case .school: return school
        case .year: return year
        case .kind: return kind
        case .chapter: return chapter
        case .district: return district
        case .report: return report
        case .dataYear: return dataYear
        case .title: return []
        }
    }

    var parameters: [(name: String, value: String)] {
        (query.isEmpty ? [] : [("q", query)])
            + SearchRequest.filterParameters.flatMap { filter in values(filter.field).map { (filter.name, $0) } }
    }

    /// A search for nothing is refused, as the daemon refuses it
    /// (missing_query): with or without a daemon, the same command gets the
    /// same answer.
    func requireQueryOrFilter() throws {
        if try request().isEmpty {
            throw ValidationError("give a query or at least one filter (--school, --year, --kind, --chapter, --district, --report, --data-year); `anli search '' --kind case` browses the cases")
        }
    }
}

/// `--sort`, for the commands that list units.
struct SortOption: RequestOptions {
    @Option(help: "relevance (default), year (newest first) or year-asc.")
    var sort: String?

    var parameters: [(name: String, value: String)] { sort.map { [("sort", $0)] } ?? [] }
}
