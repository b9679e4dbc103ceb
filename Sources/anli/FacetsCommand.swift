import ArgumentParser
import Foundation
import SearchIndex
import SearchServer

struct FacetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facets",
        abstract: "Every value of a field with its count, e.g. the schools and their cases.",
        discussion: """
            Examples:
              anli facets school --kind case      schools by number of cases
              anli facets year 产教融合            years of the units about 产教融合
            """
    )

    @Argument(help: "The field: school, year, kind, chapter, district, report.")
    var field: String

    @OptionGroup var search: QueryOptions
    @OptionGroup var indexOption: IndexOption
    @OptionGroup var output: OutputOption

    func run() async throws {
        guard let facet = FacetField(rawValue: field) else {
            throw ValidationError("unknown field '\(field)'; fields are \(FacetField.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // The route takes the query and the filters; the field is its path.
        let request = try search.request()
        let (values, json): (FacetValues, [UInt8]) = try await indexOption.backend().call("/v1/facets/\(facet.rawValue)", request.parameters)
        let out = StandardOutput()
        if output.json {
            printBytes(json)
        } else if output.jsonl {
            try out.writeJSONLines(values.values)
        } else {
            out.write("\(values.values.count) value\(values.values.count == 1 ? "" : "s") of \(values.field) over \(values.total) unit\(values.total == 1 ? "" : "s")\n")
            out.write(FacetText.render(values.values))
        }
        out.flush()
        if values.values.isEmpty { throw ExitCode(1) }
    }
}

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the index holds: reports, units per kind, revision (and the daemon's uptime and requests)."
    )

    @OptionGroup var indexOption: IndexOption
    @Flag(help: "Print the statistics as JSON, as the daemon sends them.")
    var json = false

    func run() async throws {
        let (stats, json): (IndexStats, [UInt8]) = try await indexOption.backend().call("/v1/stats")
        if self.json {
            printBytes(json)
            return
        }
        var out = "revision \(stats.revision), built \(stats.builtAt) (schema \(stats.schemaVersion), corpus \(stats.corpusRevision))\n"
        out += "\(stats.units) units" + (stats.shards > 1 ? " in \(stats.shards) shards" : "") + ": " + stats.unitsPerKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n"
        for report in stats.reports { out += "  \(report.id)  \(report.title)  (\(report.year), \(report.units) units)\n" }
        if let uptime = stats.uptimeSeconds, let requests = stats.requestsServed {
            out += "daemon: up \(uptime) s, \(requests) requests served, \(stats.reloads ?? 0) reloads, \(stats.workers ?? 0) workers\n"
        }
        let output = StandardOutput()
        output.write(out)
        output.flush()
    }
}
