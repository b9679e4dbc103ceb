import ArgumentParser
import Foundation
import Reports

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse every report in a corpus into units.",
        discussion: """
            Without --json: a summary per report (units per kind, then warnings \
            as file:line). With --json: JSON Lines on standard output, one unit \
            per line (schema in README.md); warnings go to standard error.

            Exit status: 0 when every report parsed, 1 when a report could not \
            be parsed (the others are still printed), 2 for a corpus that \
            cannot be read at all.
            """
    )

    @Argument(help: "The corpus directory (holding reports.json and schools.json).")
    var corpus: String = "corpus"

    @Flag(help: "Print units as JSON Lines instead of a summary.")
    var json = false

    @Flag(name: .shortAndLong, help: "Also print notes: page-break repairs and other decisions the parser made.")
    var verbose = false

    func run() throws {
        let corpus: Corpus
        do {
            corpus = try Corpus(directory: URL(fileURLWithPath: self.corpus), displayPath: self.corpus)
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode(2)
        }
        for diagnostic in corpus.diagnostics { printError(diagnostic.description) }

        var failed = false
        let output = StandardOutput()
        for report in corpus.manifest.reports {
            let parsed: ParsedReport
            do {
                parsed = try corpus.parse(report)
            } catch let error as ReportError {
                printError(error.description)
                failed = true
                continue
            }
            if json {
                try output.writeJSONLines(parsed.units)
                for diagnostic in parsed.diagnostics where verbose || diagnostic.severity == .warning {
                    printError(diagnostic.description)
                }
            } else {
                output.write(Summary.render(parsed, verbose: verbose))
            }
        }
        output.flush()
        if failed { throw ExitCode(1) }
    }
}

/// The per-report summary `anli parse` prints without `--json`.
enum Summary {
    static func render(_ parsed: ParsedReport, verbose: Bool) -> String {
        var out = "\(parsed.info.id)  \(parsed.info.title)  (\(parsed.file))\n"
        let counts = UnitKind.allCases.map { "\($0.rawValue) \(parsed.count(of: $0))" }.joined(separator: ", ")
        out += "  units: \(parsed.units.count) (\(counts))\n"
        let shown = parsed.diagnostics.filter { verbose || $0.severity == .warning }
        let notes = parsed.diagnostics.count - parsed.warnings.count
        out += "  warnings: \(parsed.warnings.count)" + (verbose ? ", notes: \(notes)" : (notes > 0 ? " (and \(notes) notes; --verbose shows them)" : "")) + "\n"
        for diagnostic in shown { out += "  \(diagnostic)\n" }
        return out
    }
}

/// Buffered standard output: JSON Lines for a whole corpus are written in
/// large chunks, not one `print` per unit.
final class StandardOutput {
    private var buffer = Data()
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func writeJSONLines<T: Encodable>(_ values: [T]) throws {
        for value in values {
            buffer.append(try encoder.encode(value))
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count > 1 << 16 { flush() }
        }
    }

    func write(_ text: String) {
        buffer.append(Data(text.utf8))
        if buffer.count > 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
