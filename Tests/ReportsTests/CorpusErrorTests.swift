import AnliTestSupport
import Foundation
import Reports
import Testing

/// Bad input gives a clear error with a stable code and the file (and line)
/// it concerns, never a crash.
@Suite struct CorpusErrorTests {
    static let manifest = """
        {
          "reports": [
            {"id": "t-2024", "title": "测试报告", "region": "测市", "publisher": "测市教育局", "year": 2024,
             "academicYear": "2023-2024", "published": "2024-12", "file": "t.md"}
          ]
        }
        """
    static let gazetteer = #"{"version": 1, "districts": [], "schools": []}"#
    static let report = """
        ## 1. 第一章

        ### 1.1 第一节

        正文。
        """

    func corpus(manifest: String = manifest, gazetteer: String? = gazetteer, report: String? = report) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("reports.json", manifest)
        if let gazetteer { try directory.write("schools.json", gazetteer) }
        if let report { try directory.write("t.md", report) }
        return directory
    }

    func error(_ body: () throws -> Void) -> ReportError? {
        do {
            try body()
            return nil
        } catch let error as ReportError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func aWellFormedCorpusParses() throws {
        let directory = try corpus()
        let parsed = try Corpus(directory: directory.url, displayPath: "c").parseAll()
        #expect(parsed.map { $0.count(of: .section) } == [2])
    }

    @Test func missingCorpusDirectory() {
        let failure = error { _ = try Corpus(directory: URL(fileURLWithPath: "/nonexistent/anli"), displayPath: "nowhere") }
        #expect(failure?.code == .corpusNotFound)
        #expect(failure?.file == "nowhere")
    }

    @Test func missingManifest() throws {
        let directory = try TemporaryDirectory()
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c") }
        #expect(failure?.code == .manifestMissing)
        #expect(failure?.file == "c/reports.json")
    }

    @Test func manifestSyntaxErrorNamesTheLine() throws {
        let directory = try corpus(manifest: "{\n  \"reports\": [\n    {\"id\": \"x\",,}\n  ]\n}")
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c") }
        #expect(failure?.code == .manifestInvalid)
        #expect(failure?.line == 3)
        #expect(failure?.description.hasPrefix("c/reports.json:3: error: not valid JSON") == true)
    }

    @Test func manifestShapeErrorNamesTheKey() throws {
        let directory = try corpus(manifest: #"{"reports": [{"id": "t-2024", "title": "x"}]}"#)
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c") }
        #expect(failure?.code == .manifestInvalid)
        #expect(failure?.message.contains("reports[0]") == true)
    }

    @Test func invalidGazetteer() throws {
        let directory = try corpus(gazetteer: #"{"version": 1, "districts": [], "schools": [{"id": 3}]}"#)
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c") }
        #expect(failure?.code == .gazetteerInvalid)
        #expect(failure?.file == "c/schools.json")
    }

    @Test func manifestEntryWithoutFile() throws {
        let directory = try corpus(report: nil)
        let corpus = try Corpus(directory: directory.url, displayPath: "c")
        let failure = error { _ = try corpus.parseAll() }
        #expect(failure?.code == .reportFileMissing)
        #expect(failure?.file == "c/t.md")
        #expect(failure?.message.contains("t-2024") == true)
    }

    @Test func emptyReport() throws {
        let directory = try corpus(report: "\n  \n")
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c").parseAll() }
        #expect(failure?.code == .reportEmpty)
    }

    @Test func reportThatIsNotUTF8() throws {
        let directory = try corpus(report: nil)
        // "## 1. 第一章\n" then GB18030 bytes for 报告.
        var bytes = Data("## 1. 第一章\n\n".utf8)
        bytes.append(contentsOf: [0xB1, 0xA8, 0xB8, 0xE6])
        try directory.write("t.md", bytes)
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c").parseAll() }
        #expect(failure?.code == .reportNotUTF8)
        #expect(failure?.line == 3)
        #expect(failure?.file == "c/t.md")
    }

    @Test func reportWithoutHeadings() throws {
        let directory = try corpus(report: "只有一段正文，没有任何标题。\n\n又一段。\n")
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c").parseAll() }
        #expect(failure?.code == .noHeadings)
    }

    @Test func duplicateReportIDs() throws {
        let entry = #"{"id": "t-2024", "title": "t", "region": "r", "publisher": "p", "year": 2024, "academicYear": "2023-2024", "published": "2024-12", "file": "t.md"}"#
        let directory = try corpus(manifest: "{\"reports\": [\(entry), \(entry)]}")
        let failure = error { _ = try Corpus(directory: directory.url, displayPath: "c") }
        #expect(failure?.code == .manifestInvalid)
        #expect(failure?.message.contains("listed twice") == true)
    }

    @Test func unlistedReportFilesAreReported() throws {
        let directory = try corpus()
        try directory.write("other.md", Self.report)
        let corpus = try Corpus(directory: directory.url, displayPath: "c")
        #expect(corpus.diagnostics.map(\.code) == ["report_not_in_manifest"])
    }
}

/// Report files are data: nothing in a corpus makes the parser read outside
/// the corpus directory.
@Suite struct CorpusContainmentTests {
    func manifest(file: String) -> String {
        CorpusErrorTests.manifest.replacingOccurrences(of: #""file": "t.md""#, with: #""file": "\#(file)""#)
    }

    func failure(_ directory: TemporaryDirectory) -> ReportError? {
        do {
            _ = try Corpus(directory: directory.url, displayPath: "c").parseAll()
            return nil
        } catch {
            return error as? ReportError
        }
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "sub/../../outside.md"])
    func manifestPathsOutOfTheCorpusAreRefused(file: String) throws {
        let directory = try TemporaryDirectory()
        try directory.write("reports.json", manifest(file: file))
        try directory.write("schools.json", CorpusErrorTests.gazetteer)
        let error = failure(directory)
        #expect(error?.code == .manifestInvalid, "\(String(describing: error))")
    }

    @Test func aReportFileLinkedToOutsideTheCorpusIsRefused() throws {
        let outside = try TemporaryDirectory()
        try outside.write("secret.md", CorpusErrorTests.report)
        let directory = try TemporaryDirectory()
        try directory.write("reports.json", CorpusErrorTests.manifest)
        try directory.write("schools.json", CorpusErrorTests.gazetteer)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/t.md", withDestinationPath: outside.path + "/secret.md")
        let error = failure(directory)
        #expect(error?.code == .reportOutsideCorpus, "\(String(describing: error))")
        #expect(error?.message.contains("outside the corpus") == true)
    }

    @Test func aLinkThatStaysInsideTheCorpusIsFine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("reports.json", CorpusErrorTests.manifest)
        try directory.write("schools.json", CorpusErrorTests.gazetteer)
        try FileManager.default.createDirectory(atPath: directory.path + "/reports", withIntermediateDirectories: true)
        try directory.write("reports/real.md", CorpusErrorTests.report)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/t.md", withDestinationPath: "reports/real.md")
        let parsed = try Corpus(directory: directory.url, displayPath: "c").parseAll()
        #expect(parsed.count == 1)
    }
}
