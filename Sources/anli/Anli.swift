import ArgumentParser
import Foundation

/// `anli`: search Chinese vocational-education quality reports.
///
/// Thin subcommands: each parses its arguments, calls a library, and prints.
@main
struct Anli: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anli",
        abstract: "Search engine for Chinese vocational-education annual quality reports.",
        discussion: """
            Parse the reports listed in corpus/reports.json into typed units \
            (sections, cases, tables, table rows, figures), index them, search.

            Examples:
              anli parse corpus                 summary per report, with warnings
              anli parse corpus --json | jq .   one JSON unit per line
              anli index                        build index/ from corpus/
              anli search 产教融合 --facets school,year,kind
              anli show gz-2024/case/3-2
              anli related gz-2024/case/5-3
              anli facets school --kind case
              anli export 产教融合 --format csv > 产教融合.csv
              anli serve                        HTTP/JSON on a Unix socket (docs/API.md)

            search, show, related, facets, export and stats ask the daemon when its socket \
            answers, else read the index. Exit status: 0 with results, 1 with \
            none (or an unknown unit), 2 for errors.
            """,
        version: AnliVersion.string,
        subcommands: [ParseCommand.self, IndexCommand.self, SearchCommand.self, ShowCommand.self, RelatedCommand.self, FacetsCommand.self, ExportCommand.self, StatsCommand.self, ServeCommand.self, ReplicateCommand.self, PDFTextCommand.self, VersionCommand.self, BenchCommand.self, LoadCommand.self]
    )

    /// Runs the command line. A usage error (an unknown option, value or
    /// subcommand) exits 2 like every other error anli reports, not with
    /// ArgumentParser's 64, and a mistyped subcommand gets a suggestion.
    static func main() async {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForUsage(error, message: fullMessage(for: error), suggestion: suggestion(for: Array(CommandLine.arguments.dropFirst())))
        }
        do {
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            // The subcommand's own usage line; alone, the subcommand's type
            // does not know that it is anli's.
            var message = type(of: command).fullMessage(for: error)
            if let name = type(of: command).configuration.commandName {
                message = message.replacingOccurrences(of: "Usage: \(name) ", with: "Usage: anli \(name) ")
                    .replacingOccurrences(of: "'\(name) --help'", with: "'anli \(name) --help'")
            }
            exitForUsage(error, message: message, suggestion: nil)
        }
    }

    private static func exitForUsage(_ error: any Error, message: String, suggestion: String?) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        let text = message + (suggestion.map { "\n" + $0 } ?? "") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(2)
    }

    /// "Did you mean `anli search`?" when the first argument is close to a
    /// subcommand's name but is none.
    static func suggestion(for arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.filter { $0.configuration.shouldDisplay }.compactMap { $0.configuration.commandName }
        guard !names.contains(first) else { return nil }
        let closest = names.map { (name: $0, distance: editDistance($0, first)) }.min { $0.distance < $1.distance }
        guard let closest, closest.distance <= max(1, closest.name.count / 3) else { return nil }
        return "Did you mean `anli \(closest.name)`?"
    }

    /// Levenshtein distance, counting a swap of neighbours as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}
