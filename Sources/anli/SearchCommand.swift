import ArgumentParser
import Foundation
import Reports
import SearchIndex

struct SearchCommand: ParsableCommand {
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

    @Option(help: "Only units about this school (id, name or alias); repeat to OR.")
    var school: [String] = []
    @Option(help: "Only this report year, or a range 2022..2024; repeat to OR.")
    var year: [String] = []
    @Option(help: "Only this kind: section, case, table, row, figure; repeat to OR.")
    var kind: [String] = []
    @Option(help: "Only this chapter number; repeat to OR.")
    var chapter: [String] = []
    @Option(help: "Only this district (区); repeat to OR.")
    var district: [String] = []
    @Option(help: "Only this report id; repeat to OR.")
    var report: [String] = []

    @Option(help: "Count results by these fields: school,year,kind,chapter,district,report.")
    var facets = ""
    @Option(help: "relevance (default), year (newest first) or year-asc.")
    var sort = "relevance"
    @Option(help: "Results per page (1–100).")
    var limit = SearchRequest.defaultLimit
    @Option(help: "Results to skip.")
    var offset = 0
    @Flag(help: "Show per hit the matched terms, their origin and weight.")
    var explain = false
    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        var request = SearchRequest(query: query)
        request.filters = [.school: school, .year: year, .kind: kind, .chapter: chapter, .district: district, .report: report]
            .filter { !$0.value.isEmpty }
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
        let searcher = try indexOption.openSearcher()
        let results = try reportingSearchErrors { () throws(SearchError) in try searcher.search(request) }
        if json {
            try printJSON(results)
        } else {
            let output = StandardOutput()
            output.write(ResultsText.render(results))
            output.flush()
        }
    }
}

/// The human-readable form of search results.
enum ResultsText {
    static func render(_ results: SearchResults) -> String {
        var out = "\(results.total) result\(results.total == 1 ? "" : "s") (\(String(format: "%.2f", Double(results.tookMicroseconds) / 1000)) ms)"
        if let synonyms = results.synonyms, !synonyms.isEmpty {
            out += "; synonyms: " + synonyms.map { "\($0.key) → \($0.value.joined(separator: ", "))" }.sorted().joined(separator: "; ")
        }
        out += "\n"
        for (index, hit) in results.hits.enumerated() {
            let where_ = hit.headings.last.map { " · \($0)" } ?? ""
            out += "\n\(results.offset + index + 1). \(hit.id)  \(hit.title)\n"
            // Browsing ranks nothing: every score is 0, so none is shown.
            let score = hit.score > 0 ? " · score \(String(format: "%.2f", hit.score))" : ""
            out += "   \(hit.report)\(where_)\(score)"
            if !hit.schools.isEmpty { out += " · " + hit.schools.map(\.name).joined(separator: "、") }
            out += "\n"
            if let snippet = hit.snippet, !snippet.isEmpty { out += "   \(snippet)\n" }
            if let explain = hit.explain {
                for term in explain.terms {
                    out += "     \(term.field):\(term.term) (\(term.origin.rawValue)) weight \(String(format: "%.3f", term.weight)), in \(term.unitFrequency) units\n"
                }
            }
        }
        for (field, counts) in results.facets.sorted(by: { $0.key < $1.key }) {
            out += "\n\(field):\n"
            for count in counts {
                let label = count.label == count.value ? count.value : "\(count.label) (\(count.value))"
                out += "  \(String(count.count).leftPadded(to: 5))  \(label)\n"
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
