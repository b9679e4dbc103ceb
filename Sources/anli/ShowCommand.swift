import ArgumentParser
import Foundation
import UnixHTTP
import Reports
import SearchIndex
import SearchServer

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one unit: its text as written, metadata, and table cells.",
        discussion: "Example: anli show gz-2024/case/3-2"
    )

    @Argument(help: "The unit id, e.g. gz-2024/case/1-12.")
    var id: String

    @OptionGroup var indexOption: IndexOption

    @Flag(help: "Print the unit as JSON (the schema of `anli parse --json`), as the daemon sends it.")
    var json = false

    func run() async throws {
        let path = "/v1/units/" + encodedPath(id.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
        let (unit, json): (ReportUnit, [UInt8]) = try await indexOption.backend().call(path)
        if self.json {
            printBytes(json)
            return
        }
        var out = "\(unit.id)  \(unit.title)\n"
        if let toc = unit.tocTitle { out += "TOC title: \(toc)\n" }
        let place = unit.pages.map { "\($0.citation) (PDF page \($0.start == $0.end ? "\($0.start)" : "\($0.start)–\($0.end)"))" }
            ?? "lines \(unit.lines.start)–\(unit.lines.end)"
        out += "\(unit.report) · \(unit.headings.joined(separator: " › ")) · \(place)\n"
        if !unit.schools.isEmpty { out += "about: \(unit.schools.map { "\($0.name) (\($0.id))" }.joined(separator: ", "))\n" }
        if !unit.mentionedSchools.isEmpty { out += "mentions: \(unit.mentionedSchools.map { "\($0.name) (\($0.id))" }.joined(separator: ", "))\n" }
        if !unit.districts.isEmpty { out += "districts: \(unit.districts.joined(separator: ", "))\n" }
        if !unit.years.isEmpty { out += "years: \(unit.years.map(String.init).joined(separator: ", "))\n" }
        out += "\n"
        if let table = unit.table {
            out += ([table.header] + table.rows).map { $0.map { $0.replacingOccurrences(of: "\n", with: " / ") }.joined(separator: "\t") }.joined(separator: "\n") + "\n"
            if let source = table.source { out += source + "\n" }
        } else if let row = unit.row {
            out += row.cells.map { "\($0.header): \($0.value)" }.joined(separator: "\n") + "\n"
        } else {
            out += unit.text + "\n"
        }
        for footnote in unit.footnotes { out += "\n\(footnote.marker) \(footnote.text)\n" }
        let output = StandardOutput()
        output.write(out)
        output.flush()
    }
}
