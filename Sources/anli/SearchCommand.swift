import ArgumentParser
import Foundation
import Reports
import SearchIndex

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index.",
        discussion: """
            Query syntax: words (ANDed), "exact phrases", a OR b, -exclude, (groups), \
            and fields title: school: kind: year: chapter: district: report:.
            An empty query with filters browses, newest first.

            Examples:
              anli search 产教融合 --facets school,year,kind
              anli search '"现代学徒制" OR 订单班' --kind case
              anli search '' --school 广城
            """
    )

    @Argument(help: "The query (may be empty when filters are given).")
    var query = ""

    @OptionGroup var indexOption: IndexOption
    @OptionGroup var filters: FilterOptions

    @Option(help: "Count results by these fields: school,year,kind,chapter,district,report,data_year.")
    var facets = ""
    @Option(help: "relevance (default), year (newest first) or year-asc.")
    var sort = "relevance"
    @Option(help: "Results per page (1–100).")
    var limit = SearchRequest.defaultLimit
    @Option(help: "Results to skip.")
    var offset = 0
    @Flag(help: "Show per hit the matched terms, their origin and weight.")
    var explain = false
    @Flag(help: "Only the exact hits (what the count counts): no partial matches after them.")
    var exactOnly = false
    @OptionGroup var output: OutputOption

    func validate() throws {
        // As the daemon's /v1/search answers (missing_query): with or
        // without a daemon, the same command gets the same answer.
        if query.trimmingCharacters(in: .whitespaces).isEmpty, filters.filters.isEmpty {
            throw ValidationError("give a query or at least one filter (--school, --year, --kind, --chapter, --district, --report, --data-year); `anli search '' --kind case` browses the cases")
        }
        // One hit per line has no place for counts: dropping them without a
        // word would look like an answer without facets.
        if output.jsonl, !facets.isEmpty {
            throw ValidationError("--jsonl prints one hit per line and has no place for facet counts; use --json, or `anli facets FIELD --jsonl` for one field's counts")
        }
    }

    func run() async throws {
        var request = SearchRequest(query: query)
        request.filters = filters.filters
        request.facets = try facets.split(separator: ",").map { name in
            guard let field = FacetField(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown facet '\(name)'; facets are \(FacetField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return field
        }
        guard let sort = SearchRequest.Sort(rawValue: sort) else {
            throw ValidationError("unknown sort '\(sort)'; use relevance, year or year-asc")
        }
        request.sort = sort
        request.limit = limit
        request.offset = offset
        request.explain = explain
        request.partialHits = !exactOnly
        let (results, json): (SearchResults, [UInt8]) = try await indexOption.backend().call("/v1/search", request.parameters)
        if output.json {
            printBytes(json)
        } else if output.jsonl {
            let out = StandardOutput()
            try out.writeJSONLines(results.hits)
            out.flush()
            // The lines are the hits; how many there are in all goes beside them.
            printError("anli: \(results.total) result\(results.total == 1 ? "" : "s") (exact), \(results.hits.count) line\(results.hits.count == 1 ? "" : "s") from offset \(results.offset)")
        } else {
            let out = StandardOutput()
            out.write(ResultsText.render(results, colour: Terminal.colour))
            out.flush()
        }
        // 0 with hits, 1 with none, 2 for errors (thrown above).
        if results.hits.isEmpty { throw ExitCode(1) }
    }
}

/// The filters of `anli search` and `anli facets`: repeated values are ORed,
/// different fields ANDed.
struct FilterOptions: ParsableArguments {
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

    var filters: [QueryField: [String]] {
        [.school: school, .year: year, .kind: kind, .chapter: chapter, .district: district, .report: report, .dataYear: dataYear]
            .filter { !$0.value.isEmpty }
    }
}

/// The human-readable form of search results.
enum ResultsText {
    /// Number, kind and number, title; then id, year, schools and where in
    /// the report; then the snippet (matches in colour on a terminal, else
    /// between « and »); then the facet counts.
    static func render(_ results: SearchResults, colour: Bool = false) -> String {
        var out = "\(results.total) result\(results.total == 1 ? "" : "s") (\(String(format: "%.2f", Double(results.tookMicroseconds) / 1000)) ms)"
        if let synonyms = results.synonyms, !synonyms.isEmpty {
            out += "; synonyms: " + synonyms.map { "\($0.key) → \($0.value.joined(separator: ", "))" }.sorted().joined(separator: "; ")
        }
        out += "\n"
        for suggestion in results.suggestions ?? [] {
            let why = suggestion.reason == "school" ? "a school's name" : "one character fewer"
            out += "  try: anli search '\(suggestion.query)'  (\(suggestion.total) result\(suggestion.total == 1 ? "" : "s"); \(why))\n"
        }
        for (index, hit) in results.hits.enumerated() {
            let bold = colour ? "\u{1B}[1m" : ""
            let reset = colour ? "\u{1B}[0m" : ""
            if hit.match == .partial, index == 0 || results.hits[index - 1].match == .exact {
                out += "\n-- partial matches: most of the query, or inside a unit that matches; not counted above --\n"
            }
            let marker = hit.match == .partial ? " (partial)" : ""
            out += "\n\(results.offset + index + 1). [\(hit.kind.label) \(hit.number)] \(bold)\(hit.title)\(reset)\(marker)\n"
            var details = ["\(hit.id)", "\(hit.year)"]
            if !hit.schools.isEmpty { details.append(hit.schools.map(\.name).joined(separator: "、")) }
            if let heading = hit.headings.last, !heading.hasSuffix(hit.title) { details.append(heading) }
            // Browsing ranks nothing: every score is 0, so none is shown.
            if hit.score > 0 { details.append("score \(String(format: "%.2f", hit.score))") }
            out += "   " + details.joined(separator: " · ") + "\n"
            if let snippet = hit.snippet, !snippet.isEmpty { out += "   \(Terminal.highlight(snippet, colour: colour))\n" }
            if let explain = hit.explain {
                for term in explain.terms {
                    out += "     \(term.field):\(term.term) (\(term.origin.rawValue)) weight \(String(format: "%.3f", term.weight)), in \(term.unitFrequency) units\n"
                }
            }
        }
        for (field, counts) in results.facets.sorted(by: { $0.key < $1.key }) {
            out += "\n\(field):\n"
            out += FacetText.render(counts)
        }
        return out
    }

}

enum FacetText {
    static func render(_ counts: [FacetCount]) -> String {
        counts.map { count in
            let label = count.label == count.value ? count.value : "\(count.label) (\(count.value))"
            return "  \(String(count.count).leftPadded(to: 5))  \(label)\n"
        }.joined()
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
