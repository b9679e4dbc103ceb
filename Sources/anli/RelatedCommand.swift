import ArgumentParser
import Foundation
import UnixHTTP
import Reports
import SearchIndex
import SearchServer

struct RelatedCommand: AsyncParsableCommand {
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
    @OptionGroup var output: OutputOption

    func run() async throws {
        let kinds = try (kind.isEmpty ? ["case"] : kind).map { name in
            guard let kind = UnitKind(rawValue: name) else {
                throw ValidationError("unknown kind '\(name)'; kinds are section, case, table, row, figure")
            }
            return kind
        }
        let path = "/v1/units/" + encodedPath(id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) + "/related"
        let parameters = [(name: "limit", value: String(limit))] + kinds.map { (name: "kind", value: $0.rawValue) }
        let (related, json): (RelatedResults, [UInt8]) = try await indexOption.backend().call(path, parameters)
        if output.json {
            printBytes(json)
            if related.hits.isEmpty { throw ExitCode(1) }
            return
        }
        if output.jsonl {
            let out = StandardOutput()
            try out.writeJSONLines(related.hits)
            out.flush()
            if related.hits.isEmpty { throw ExitCode(1) }
            return
        }
        let colour = Terminal.colour
        var out = "related to \(related.id) through: \(related.terms.joined(separator: " "))\n"
        for (index, hit) in related.hits.enumerated() {
            out += "\n\(index + 1). \(hit.id)  \(hit.title)  (score \(String(format: "%.2f", hit.score)))\n"
            if let snippet = hit.snippet { out += "   \(Terminal.highlight(snippet, colour: colour))\n" }
        }
        let standardOutput = StandardOutput()
        standardOutput.write(out)
        standardOutput.flush()
        if related.hits.isEmpty { throw ExitCode(1) }
    }
}
