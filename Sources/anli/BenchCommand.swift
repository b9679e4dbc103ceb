import ArgumentParser
import Foundation
import SearchIndex

/// Measures in-process search latency for the benchmark harness
/// (tools/bench). Not for users: hidden from help. Timing lives here, never
/// in `swift test`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-queries",
        abstract: "Time searches in-process over a query file (used by tools/bench).",
        shouldDisplay: false
    )

    @OptionGroup var indexOption: IndexOption

    @Option(help: "The query file (tools/bench/queries.json).")
    var queries: String

    @Option(name: .customLong("repeat"), help: "Timed runs per query, after warm-up.")
    var repetitions = 50

    @Option(help: "Untimed runs per query first.")
    var warmup = 5

    @Option(help: "Snippet length (0: no snippets).")
    var snippet = 120

    struct QueryFile: Decodable {
        struct Query: Decodable {
            var q: String
            var kind: String
            var filters: [String: [String]]?
            var facets: [String]?
        }
        var queries: [Query]
    }

    struct Result: Encodable {
        var q: String
        var kind: String
        var total: Int
        /// Nanoseconds per run.
        var runs: [Int]
    }

    func run() throws {
        let file = try JSONDecoder().decode(QueryFile.self, from: Data(contentsOf: URL(fileURLWithPath: queries)))
        let searcher = try indexOption.openSearcher()
        var results: [Result] = []
        for query in file.queries {
            var request = SearchRequest(query: query.q)
            for (name, values) in query.filters ?? [:] {
                guard let field = QueryField(rawValue: name) else { throw ValidationError("unknown filter \(name)") }
                request.filters[field] = values
            }
            request.facets = (query.facets ?? []).compactMap(FacetField.init(rawValue:))
            request.snippetLength = snippet
            var total = 0
            for _ in 0..<warmup { total = try reportingSearchErrors { () throws(SearchError) in try searcher.search(request) }.total }
            var runs: [Int] = []
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try reportingSearchErrors { () throws(SearchError) in try searcher.search(request) }
                runs.append(Int(DispatchTime.now().uptimeNanoseconds - start))
            }
            results.append(Result(q: query.q, kind: query.kind, total: total, runs: runs))
        }
        try printJSON(results)
    }
}
