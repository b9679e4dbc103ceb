import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing

/// Building, rebuilding and opening indexes: atomic switches, incremental
/// builds, locks, and every way an index directory can be wrong.
@Suite struct IndexLifecycleTests {
    @Test func buildSummaryAndInfo() throws {
        let index = try TestIndex()
        #expect(index.summary.units == 274)
        #expect(index.summary.reports.map(\.id) == ["gz-2024"])
        #expect(index.summary.bytes > 0)
        #expect(index.searcher.info.units == 274)
        #expect(index.searcher.info.schemaVersion == 5)
        #expect(index.searcher.info.revision == index.summary.revision)
    }

    @Test func unchangedReportsAreCopiedAndRemovedOnesDisappear() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let scratch = try TemporaryDirectory()
        try scratch.copyContents(of: Repository.corpus)
        for name in try FileManager.default.contentsOfDirectory(atPath: scratch.path) {
            try FileManager.default.copyItem(at: scratch.url.appendingPathComponent(name), to: corpus.appendingPathComponent(name))
        }
        // A second report: the same file under another id and year.
        let manifest = try String(contentsOf: corpus.appendingPathComponent("reports.json"), encoding: .utf8)
        let twoReports = manifest.replacingOccurrences(of: "  ]\n}", with: """
              ,{"id": "copy-2025", "title": "副本", "region": "广州市", "publisher": "广州市教育局", "year": 2025,
                "academicYear": "2024-2025", "published": "2025-12", "file": "copy.md"}
              ]
            }
            """)
        try twoReports.write(to: corpus.appendingPathComponent("reports.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("guangzhou-2024.md"), to: corpus.appendingPathComponent("copy.md"))
        let indexURL = directory.url.appendingPathComponent("index")

        let first = try IndexBuilder(corpus: corpus, index: indexURL).build()
        #expect(first.reports.map(\.reused) == [false, false])
        #expect(first.units == 548)

        // Change only the copy: the original is reused.
        let copy = corpus.appendingPathComponent("copy.md")
        try (try String(contentsOf: copy, encoding: .utf8) + "\n## 8. 附加章节\n\n新增内容。\n").write(to: copy, atomically: true, encoding: .utf8)
        let second = try IndexBuilder(corpus: corpus, index: indexURL).build()
        #expect(second.reports.map(\.reused) == [true, false])
        #expect(second.revision != first.revision)
        let searcher = try Searcher(index: indexURL)
        #expect(try searcher.search(SearchRequest(query: "\"新增内容\"")).hits.map(\.id) == ["copy-2025/section/8"])
        var original = SearchRequest(query: "产教融合")
        original.filters[.report] = ["gz-2024"]
        #expect(try searcher.search(original).total > 0)

        // Remove the copy from the manifest: its units disappear.
        try manifest.write(to: corpus.appendingPathComponent("reports.json"), atomically: true, encoding: .utf8)
        let third = try IndexBuilder(corpus: corpus, index: indexURL).build()
        #expect(third.units == 274)
        let after = try Searcher(index: indexURL)
        #expect(try after.search(SearchRequest(query: "\"新增内容\"")).total == 0)
        #expect(after.info.reports.map(\.id) == ["gz-2024"])
    }

    @Test func aReaderKeepsItsRevisionWhileANewOneIsPublished() throws {
        let index = try TestIndex()
        let before = try index.searcher.search(SearchRequest(query: "产教融合")).total
        let rebuilt = try IndexBuilder(corpus: Repository.corpus, index: index.indexURL).build()
        #expect(rebuilt.revision != index.summary.revision)
        // The open searcher still answers from the revision it opened.
        #expect(try index.searcher.search(SearchRequest(query: "产教融合")).total == before)
        let reopened = try Searcher(index: index.indexURL)
        #expect(reopened.info.revision == rebuilt.revision)
        #expect(try reopened.search(SearchRequest(query: "产教融合")).total == before)
    }

    @Test func aBuildThatFailsLeavesThePreviousIndexServed() throws {
        let index = try TestIndex()
        let corpus = try TemporaryDirectory()
        try corpus.copyContents(of: Repository.corpus)
        // A report file that is not UTF-8 makes the build fail midway.
        try corpus.write("guangzhou-2024.md", Data([0x23, 0x20, 0xB1, 0xA8]))
        #expect(throws: SearchError.self) {
            _ = try IndexBuilder(corpus: corpus.url, index: index.indexURL).build()
        }
        let searcher = try Searcher(index: index.indexURL)
        #expect(searcher.info.revision == index.summary.revision)
        #expect(try searcher.search(SearchRequest(query: "产教融合")).total > 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: index.indexURL.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func aSecondConcurrentBuildFailsClearly() throws {
        let directory = try TemporaryDirectory()
        let indexURL = directory.url.appendingPathComponent("index")
        try FileManager.default.createDirectory(at: indexURL, withIntermediateDirectories: true)
        // Hold the lock as a running build would.
        let descriptor = open(indexURL.appendingPathComponent(".lock").path, O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let error = #expect(throws: SearchError.self) {
            _ = try IndexBuilder(corpus: Repository.corpus, index: indexURL).build()
        }
        #expect(error?.code == .indexLocked)
    }

    @Test func missingEmptyAndForeignIndexDirectories() throws {
        let directory = try TemporaryDirectory()
        let missing = #expect(throws: SearchError.self) { _ = try Searcher(index: directory.url.appendingPathComponent("nope")) }
        #expect(missing?.code == .indexNotFound)
        let empty = #expect(throws: SearchError.self) { _ = try Searcher(index: directory.url) }
        #expect(empty?.code == .indexNotFound)
        #expect(empty?.message.contains("anli index") == true)
        // `current` pointing at a directory that is not a database.
        try directory.write("broken/junk/file", "x")
        try FileManager.default.createSymbolicLink(atPath: directory.url.appendingPathComponent("broken/current").path, withDestinationPath: "junk")
        let corrupt = #expect(throws: SearchError.self) { _ = try Searcher(index: directory.url.appendingPathComponent("broken")) }
        #expect(corrupt?.code == .indexNotFound || corrupt?.code == .indexCorrupt)
    }
}

/// Databases that are Xapian but not a usable anli index.
@Suite struct ForeignIndexTests {
    func database(schema: String?) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let writer = try XapianWritableDatabase(creatingAt: directory.path)
        if let schema { try writer.setMetadata("anli.schema", schema) }
        try writer.commit()
        try writer.close()
        return directory
    }

    @Test func anIndexFromAnotherSchemaVersionSaysToRebuild() throws {
        let directory = try database(schema: "0")
        let error = #expect(throws: SearchError.self) { _ = try Searcher(index: directory.url) }
        #expect(error?.code == .indexSchemaMismatch)
        #expect(error?.message.contains("Rebuild it with `anli index`") == true)
        #expect(error?.isCallerMistake == false)
    }

    @Test func aXapianDatabaseThatIsNotAnAnliIndex() throws {
        let directory = try database(schema: nil)
        let error = #expect(throws: SearchError.self) { _ = try Searcher(index: directory.url) }
        #expect(error?.code == .indexCorrupt)
    }
}
