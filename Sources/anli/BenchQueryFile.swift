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

        /// The query as the daemon's parameters: `filters` are keyed by
        /// parameter name (`kind`, `data_year`).
        var parameters: [(name: String, value: String)] {
            var out: [(name: String, value: String)] = [("q", q)]
            for (name, values) in (filters ?? [:]).sorted(by: { $0.key < $1.key }) { out += values.map { (name, $0) } }
            if let facets, !facets.isEmpty { out.append(("facets", facets.joined(separator: ","))) }
            return out
        }
    }
    var queries: [Query]

    static func read(_ path: String) throws -> BenchQueryFile {
        try JSONDecoder().decode(BenchQueryFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
