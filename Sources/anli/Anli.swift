import ArgumentParser

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
              anli serve                        HTTP/JSON on a Unix socket (docs/API.md)

            search, show, related, facets and stats ask the daemon when its socket \
            answers, else read the index. Exit status: 0 with results, 1 with \
            none (or an unknown unit), 2 for errors.
            """,
        version: AnliVersion.string,
        subcommands: [ParseCommand.self, IndexCommand.self, SearchCommand.self, ShowCommand.self, RelatedCommand.self, FacetsCommand.self, StatsCommand.self, ServeCommand.self, VersionCommand.self, BenchCommand.self, LoadCommand.self]
    )
}
