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

    @Option(help: "The index directory (default: $ANLI_INDEX, else index).")
    var index = defaultIndexDirectory

    @Option(help: ArgumentHelp(
        "How many shards to write, each by its own writer thread (1-\(ShardLayout.maximumShards)).",
        discussion: "Default: one per core (at most 4) for a corpus of 8 MB or more, else 1."))
    var shards: Int?

    @Flag(help: "Print the build summary as JSON.")
    var json = false

    func validate() throws {
        if let shards, !(1...ShardLayout.maximumShards).contains(shards) {
            throw ValidationError("--shards must be between 1 and \(ShardLayout.maximumShards), not \(shards)")
        }
    }

    func run() throws {
        try IndexBuilder.configureProcess()
        let builder = IndexBuilder(corpus: URL(fileURLWithPath: corpus), index: URL(fileURLWithPath: index), shards: shards)
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
        // Always said, also with --json (on standard error): a report that
        // is not in the index must not go unnoticed.
        for report in summary.skipped {
            printError("warning: report '\(report.id)' left out of the index: \(report.message)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            let reused = summary.reports.filter(\.reused).count
            let megabytes = String(format: "%.1f", Double(summary.bytes) / 1_048_576)
            print("indexed \(summary.reports.count) report(s), \(summary.units) units in \(String(format: "%.2f", summary.seconds)) s"
                + (reused > 0 ? " (\(reused) unchanged)" : "")
                + (summary.skipped.isEmpty ? "" : ", \(summary.skipped.count) left out (see above)")
                + (summary.shards > 1 ? " in \(summary.shards) shards" : "") + "; \(megabytes) MB at \(summary.index)/\(summary.revision)")
        }
    }
}
