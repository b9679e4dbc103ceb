import ArgumentParser

/// `anli`: search Chinese vocational-education quality reports.
///
/// Thin subcommands: each parses its arguments, calls a library, and prints.
@main
struct Anli: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anli",
        abstract: "Search engine for Chinese vocational-education annual quality reports.",
        discussion: """
            Parse the reports listed in corpus/reports.json into typed units \
            (sections, cases, tables, table rows, figures).

            Examples:
              anli parse corpus                 summary per report, with warnings
              anli parse corpus --json | jq .   one JSON unit per line
            """,
        version: AnliVersion.string,
        subcommands: [ParseCommand.self, VersionCommand.self]
    )
}
