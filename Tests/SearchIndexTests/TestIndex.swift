import AnliTestSupport
import Foundation
import Reports
import SearchIndex
import TextAnalysis

/// A temporary index built from a corpus for one test, with the parsed
/// units beside it for brute-force comparisons. The directory goes away
/// with the value.
final class TestIndex {
    let directory: TemporaryDirectory
    let corpus: URL
    let summary: IndexBuilder.Summary
    let searcher: Searcher
    let units: [ReportUnit]

    var indexURL: URL { directory.url.appendingPathComponent("index") }

    init(corpus: URL = Repository.corpus) throws {
        directory = try TemporaryDirectory(prefix: "anli-index")
        self.corpus = corpus
        summary = try IndexBuilder(corpus: corpus, index: directory.url.appendingPathComponent("index")).build()
        searcher = try Searcher(index: directory.url.appendingPathComponent("index"))
        units = try Corpus(directory: corpus).parseAll().flatMap(\.units)
    }

    /// Every id matching `request` exactly (all pages; the partial hits
    /// that follow the exact ones are left out).
    func allIDs(_ request: SearchRequest) throws -> [String] {
        var request = request
        request.limit = SearchRequest.maximumLimit
        request.snippetLength = 0
        var ids: [String] = []
        while true {
            let results = try searcher.search(request)
            ids += results.hits.filter { $0.match == .exact }.map(\.id)
            if request.offset + request.limit >= results.total { return ids }
            request.offset += request.limit
        }
    }

    /// The normalised searchable text of a unit (title and body), as the
    /// index sees it.
    func normalizedText(_ unit: ReportUnit) throws -> String {
        let analyzer = try Analyzer()
        return analyzer.normalize(unit.title + "\n" + unit.text + "\n" + unit.footnotes.map(\.text).joined(separator: "\n")).normalized
    }
}
