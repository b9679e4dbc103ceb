import Foundation

/// The benchmark's query file (tools/bench/queries.json), read by
/// `bench-queries` (in-process) and `bench-load` (against a daemon).
struct BenchQueryFile: Decodable {
    struct Query: Decodable {
        var q: String
        /// The query's category (theme, school, number…), for reports.
        var kind: String?
        var filters: [String: [String]]?
        var facets: [String]?
    }
    var queries: [Query]

    static func read(_ path: String) throws -> BenchQueryFile {
        try JSONDecoder().decode(BenchQueryFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
