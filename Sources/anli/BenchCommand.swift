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

    @Option(help: "Bytes of decoded hits the searcher keeps (0: read every hit from the index, as on a cold cache).")
    var recordCache = Searcher.defaultRecordCacheBytes

    @Option(help: "Bytes of recent totals and facet counts the searcher keeps (0: count every run, as on a first request).")
    var countCache = Searcher.defaultCountCacheBytes

    @Option(help: "Indexes of at most this many units rank and count in one pass (see Searcher).")
    var singlePassLimit = Searcher.defaultSinglePassLimit

    @Flag(help: "Only exact hits: no partial tier after them (what it costs).")
    var exactOnly = false

    struct Result: Encodable {
        var q: String
        var kind: String
        var total: Int
        /// Nanoseconds per run.
        var runs: [Int]
    }

    func run() throws {
        let file = try BenchQueryFile.read(queries)
        let searcher = try indexOption.openSearcher(recordCacheBytes: recordCache, countCacheBytes: countCache, singlePassLimit: singlePassLimit)
        var requests: [SearchRequest] = []
        for query in file.queries {
            var request = try SearchRequest(options: query.parameters)
            request.snippetLength = snippet
            request.partialHits = !exactOnly
            requests.append(request)
        }
        // Rounds over the whole file, as a daemon sees a stream of different
        // queries: repeating one query back to back would time it with every
        // cache hot.
        var totals = Array(repeating: 0, count: requests.count)
        var runs = Array(repeating: [Int](), count: requests.count)
        for round in 0..<(warmup + repetitions) {
            for (index, request) in requests.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                let results = try reportingSearchErrors { () throws(SearchError) in try searcher.search(request) }
                let elapsed = Int(DispatchTime.now().uptimeNanoseconds - start)
                totals[index] = results.total
                if round >= warmup { runs[index].append(elapsed) }
            }
        }
        let results = file.queries.indices.map { Result(q: file.queries[$0].q, kind: file.queries[$0].kind ?? "", total: totals[$0], runs: runs[$0]) }
        try printJSON(results)
    }
}
