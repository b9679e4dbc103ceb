import ArgumentParser
import Foundation
import SearchIndex

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the search index of a corpus.",
        discussion: """
            Builds every report in the manifest into a new database under the \
            index directory and switches `current` to it atomically: searches \
            running meanwhile see the old index or the new one, never a mix, \
            and a build that dies leaves the old index in place. Reports whose \
            file did not change are copied from the previous index.
            """
    )

    @Option(help: "The corpus directory.")
    var corpus = "corpus"

    @Option(help: "The index directory.")
    var index = "index"

    @Flag(help: "Print the build summary as JSON.")
    var json = false

    func run() throws {
        let builder = IndexBuilder(corpus: URL(fileURLWithPath: corpus), index: URL(fileURLWithPath: index))
        let interactive = isatty(STDERR_FILENO) == 1 && !json
        let summary: IndexBuilder.Summary
        do {
            summary = try builder.build { progress in
                guard interactive else { return }
                let rate = progress.seconds > 0 ? Int(Double(progress.units) / progress.seconds) : 0
                let how = progress.reused ? "unchanged, copied" : "\(rate) units/s"
                printError("[\(progress.index)/\(progress.count)] \(progress.report): \(progress.units) units in \(String(format: "%.2f", progress.seconds)) s (\(how))")
            }
        } catch {
            printError("anli index: \(error)")
            throw ExitCode(error.isCallerMistake || error.code == .indexLocked || error.code == .corpus ? 1 : 2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            let reused = summary.reports.filter(\.reused).count
            let megabytes = String(format: "%.1f", Double(summary.bytes) / 1_048_576)
            print("indexed \(summary.reports.count) report(s), \(summary.units) units in \(String(format: "%.2f", summary.seconds)) s"
                + (reused > 0 ? " (\(reused) unchanged)" : "") + "; \(megabytes) MB at \(summary.index)/\(summary.revision)")
        }
    }
}
