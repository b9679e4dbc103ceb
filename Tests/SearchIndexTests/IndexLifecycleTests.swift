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
        #expect(index.searcher.info.schemaVersion == 9)
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
        let removedUnit = #expect(throws: SearchError.self) { _ = try after.unit("copy-2025/section/1") }
        #expect(removedUnit?.code == .unitNotFound, "the removed report's unit ids are gone")
        #expect(try after.unit("gz-2024/section/1").id == "gz-2024/section/1")
    }

    /// A report file edited while `anli index` runs, then edited back (an
    /// editor's undo, a `git checkout`). The builder decides what to reuse
    /// from hashes taken before parsing; if it recorded that early hash with
    /// the text it parsed later, the rebuild after the undo would find the
    /// hash unchanged and keep serving the edit forever.
    @Test func aReportChangedDuringTheBuildAndChangedBackIsReindexed() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.url.appendingPathComponent("corpus")
        // More reports than the builder prepares ahead of its writer
        // (about one per core), so the last one is still unparsed when the
        // first is written.
        let ids = try SyntheticCorpus.write(copies: ProcessInfo.processInfo.activeProcessorCount + 4, to: corpus)
        let last = corpus.appendingPathComponent("\(ids[ids.count - 1]).md")
        let original = try Data(contentsOf: last)
        let indexURL = directory.url.appendingPathComponent("index")
        let added = SearchRequest(query: "\"新增内容\"")

        var edited = false
        _ = try IndexBuilder(corpus: corpus, index: indexURL).build { progress in
            guard progress.index == 1 else { return }
            var text = original
            text.append(Data("\n## 8. 附加章节\n\n新增内容。\n".utf8))
            try? text.write(to: last)
            edited = true
        }
        #expect(edited)
        // The build saw the edit: the index matches the corpus as it is now.
        #expect(try Searcher(index: indexURL).search(added).hits.map(\.id) == ["\(ids[ids.count - 1])/section/8"])

        try original.write(to: last)
        let rebuilt = try IndexBuilder(corpus: corpus, index: indexURL).build()
        #expect(rebuilt.reports.last?.reused == false, "the file differs from what the index holds")
        let searcher = try Searcher(index: indexURL)
        #expect(try searcher.search(added).total == 0, "the undone edit is gone from the index")
        let removedUnit = #expect(throws: SearchError.self) { _ = try searcher.unit("\(ids[ids.count - 1])/section/8") }
        #expect(removedUnit?.code == .unitNotFound)
        #expect(rebuilt.reports.dropLast().allSatisfy { $0.reused }, "the untouched reports are still copied")
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

/// A published revision's files are sealed when a searcher opens them.
@Suite struct RevisionSealTests {
    @Test func aFileWrittenAfterOpeningBreaksTheSeal() throws {
        let index = try TestIndex()
        try index.searcher.checkSealed()
        let file = index.searcher.location.database.appendingPathComponent("docdata.glass")
        let handle = try FileHandle(forUpdating: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        #expect(throws: SearchError.self) { try index.searcher.checkSealed() }
        do {
            try index.searcher.checkSealed()
        } catch {
            #expect(error.code == .indexCorrupt)
            #expect(error.message.contains("docdata.glass"))
        }
    }
}
