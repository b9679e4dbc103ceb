import ArgumentParser
import Foundation
import Reports
import SearchIndex

struct RelatedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "related",
        abstract: "Units about the same things as a given unit, and the terms that relate them.",
        discussion: "Example: anli related gz-2024/case/5-3 --kind case"
    )

    @Argument(help: "The unit id, e.g. gz-2024/case/5-3.")
    var id: String

    @OptionGroup var indexOption: IndexOption

    @Option(help: "Kinds of unit to return (repeat); default case.")
    var kind: [String] = []
    @Option(help: "How many related units (1–100).")
    var limit = 10
    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let kinds = try (kind.isEmpty ? ["case"] : kind).map { name in
            guard let kind = UnitKind(rawValue: name) else {
                throw ValidationError("unknown kind '\(name)'; kinds are section, case, table, row, figure")
            }
            return kind
        }
        let searcher = try indexOption.openSearcher()
        let related = try reportingSearchErrors { () throws(SearchError) in try searcher.related(to: id, limit: limit, kinds: kinds) }
        if json {
            try printJSON(related)
            return
        }
        var out = "related to \(related.id) through: \(related.terms.joined(separator: " "))\n"
        for (index, hit) in related.hits.enumerated() {
            out += "\n\(index + 1). \(hit.id)  \(hit.title)  (score \(String(format: "%.2f", hit.score)))\n"
            if let snippet = hit.snippet { out += "   \(snippet)\n" }
        }
        let output = StandardOutput()
        output.write(out)
        output.flush()
    }
}
