import ArgumentParser
import Foundation
import SearchIndex

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index.",
        discussion: """
            Query syntax: words (all must match), "exact phrases", a OR b, a AND b, \
            NOT b or -b, +a, prefix*, (groups), and the fields title: school: kind: \
            year: chapter: district: report: data_year: (docs/API.md).
            An empty query with filters browses, newest first.

            Examples:
              anli search 产教融合 --facets school,year,kind
              anli search '"现代学徒制" OR 订单班' --kind case
              anli search '' --school 广城
            """
    )

    @OptionGroup var search: QueryOptions
    @OptionGroup var indexOption: IndexOption
    @OptionGroup var page: PageOptions
    @OptionGroup var output: OutputOption

    func validate() throws {
        try search.requireQueryOrFilter()
        _ = try request()
        // One hit per line has no place for counts: dropping them without a
        // word would look like an answer without facets.
        if output.jsonl, page.facets != nil {
            throw ValidationError("--jsonl prints one hit per line and has no place for facet counts; use --json, or `anli facets FIELD --jsonl` for one field's counts")
        }
    }

    /// The options as one request, read by the daemon's codec.
    func request() throws -> SearchRequest {
        try SearchRequest(options: search.parameters + page.parameters)
    }

    func run() async throws {
        let request = try request()
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

/// The options of `anli search` that shape the answer rather than choose
/// the units: facets, sort, page, explain, partial hits.
struct PageOptions: RequestOptions {
    @Option(help: "Count results by these fields: school,year,kind,chapter,district,report,data_year.")
    var facets: String?
    @OptionGroup var sort: SortOption
    @Option(help: "Results per page (1–100, default \(SearchRequest.defaultLimit)).")
    var limit: Int?
    @Option(help: "Results to skip.")
    var offset: Int?
    @Flag(help: "Show per hit the matched terms, their origin and weight.")
    var explain = false
    @Flag(help: "Only the exact hits (what the count counts): no partial matches after them.")
    var exactOnly = false

    var parameters: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = facets.map { [("facets", $0)] } ?? []
        out += sort.parameters
        if let limit { out.append(("limit", String(limit))) }
        if let offset { out.append(("offset", String(offset))) }
        if explain { out.append(("explain", "true")) }
        if exactOnly { out.append(("partial", "false")) }
        return out
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
            if let pages = hit.pages { details.append(pages.citation) }
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
