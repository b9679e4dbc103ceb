import AnliTestSupport
import Foundation
import Testing

/// A corpus of one text report and two PDF reports (and a scanned PDF),
/// indexed and searched with the built `anli` as a user would: pages in the
/// search output, the JSON, the export and `show`; the scanned PDF left
/// out with a warning that names it.
@Suite struct PDFCommandTests {
    static let indexed: (directory: TemporaryDirectory, summary: String, standardError: String) = {
        let directory = try! TemporaryDirectory(prefix: "anli-pdf-cli")
        let corpus = directory.url.appendingPathComponent("corpus")
        try! Repository.copyCorpus(to: corpus)
        for name in ["gz-2024.pdf", "layout-b.pdf", "scanned.pdf"] {
            try! FileManager.default.copyItem(at: PDFFixtures.file(name), to: corpus.appendingPathComponent(name))
        }
        let manifestURL = corpus.appendingPathComponent("reports.json")
        var manifest = try! JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as! [String: Any]
        var reports = manifest["reports"] as! [[String: Any]]
        let seed = reports[0]
        for (id, file) in [("gz-2024-pdf", "gz-2024.pdf"), ("gz-2024-b", "layout-b.pdf"), ("scanned", "scanned.pdf")] {
            var entry = seed
            entry["id"] = id
            entry["file"] = file
            reports.append(entry)
        }
        manifest["reports"] = reports
        try! JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let result = try! CommandRunner.run(["index", "--corpus", corpus.path, "--index", directory.path + "/index", "--json"])
        precondition(result.status == 0, result.standardError)
        return (directory, result.standardOutput, result.standardError)
    }()

    var index: String { Self.indexed.directory.path + "/index" }

    @Test func theTwoPDFsAreIndexedAndTheScannedOneIsLeftOutWithItsReason() throws {
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(Self.indexed.summary.utf8)) as? [String: Any])
        let reports = try #require(summary["reports"] as? [[String: Any]])
        #expect(reports.map { $0["id"] as? String } == ["gz-2024", "gz-2024-pdf", "gz-2024-b"])
        #expect(reports.map { $0["units"] as? Int } == [274, 274, 274])
        let skipped = try #require(summary["skipped"] as? [[String: Any]])
        #expect(skipped.map { $0["id"] as? String } == ["scanned"])
        #expect(skipped.first?["code"] as? String == "pdf_no_text")
        #expect(Self.indexed.standardError.contains("scanned.pdf"))
        #expect(Self.indexed.standardError.contains("OCR"))
    }

    @Test func searchShowsThePagesOfPDFHits() throws {
        let result = try CommandRunner.run(["search", "综合高中试点", "--kind", "case", "--index", index, "--no-daemon"])
        #expect(result.status == 0, "\(result.standardError)")
        // 案例 1-12 starts on page 17 of the PDF, which prints 9 on it.
        #expect(result.standardOutput.contains("gz-2024-pdf/case/1-12 · 2024 · pp. 9–10"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("gz-2024/case/1-12 · 2024 · 广州市"), "a text report's hit shows no pages")

        let json = try CommandRunner.run(["search", "综合高中试点", "--kind", "case", "--json", "--index", index, "--no-daemon"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        let pdfHit = try #require(hits.first { $0["id"] as? String == "gz-2024-pdf/case/1-12" })
        let pages = try #require(pdfHit["pages"] as? [String: Any])
        #expect(pages["start"] as? Int == 17)
        #expect((pages["printed"] as? [String: Any])?["start"] as? String == "9")
        let textHit = try #require(hits.first { $0["id"] as? String == "gz-2024/case/1-12" })
        #expect(textHit["pages"] == nil)
    }

    @Test func showAndExportCarryThePages() throws {
        let show = try CommandRunner.run(["show", "gz-2024-pdf/case/1-12", "--index", index, "--no-daemon"])
        #expect(show.status == 0, "\(show.standardError)")
        #expect(show.standardOutput.contains("pp. 9–10 (PDF page 17–18)"), "\(show.standardOutput)")

        let export = try CommandRunner.run(["export", "综合高中试点", "--kind", "case", "--format", "csv", "--index", index, "--no-daemon"])
        #expect(export.status == 0, "\(export.standardError)")
        let rows = export.standardOutput.components(separatedBy: "\r\n")
        let header = rows[0].trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}")).components(separatedBy: ",")
        #expect(Array(header.suffix(4)) == ["page_start", "page_end", "printed_page_start", "printed_page_end"])
        let pdfRow = try #require(rows.first { $0.hasPrefix("gz-2024-pdf/case/1-12,") })
        #expect(pdfRow.hasSuffix(",17,18,9,10"), "\(pdfRow)")
        let textRow = try #require(rows.first { $0.hasPrefix("gz-2024/case/1-12,") })
        #expect(textRow.hasSuffix(",,,,"), "a text report's pages are empty, not 0")
    }

    @Test func aCorpusOfOnlyUnreadablePDFsIsAnErrorAndPublishesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "anli-pdf-only-bad")
        let corpus = directory.url.appendingPathComponent("corpus")
        try Repository.copyCorpus(to: corpus)
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("guangzhou-2024.md"))
        try FileManager.default.copyItem(at: PDFFixtures.file("encrypted.pdf"), to: corpus.appendingPathComponent("guangzhou-2024.pdf"))
        let manifestURL = corpus.appendingPathComponent("reports.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8).replacingOccurrences(of: "guangzhou-2024.md", with: "guangzhou-2024.pdf")
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        let index = directory.path + "/index"
        let result = try CommandRunner.run(["index", "--corpus", corpus.path, "--index", index])
        #expect(result.status == 1)
        #expect(result.standardError.contains("no report could be indexed"))
        #expect(result.standardError.contains("guangzhou-2024.pdf"))
        #expect(result.standardError.contains("[pdf_encrypted]"))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: index)) ?? []
        #expect(!left.contains { $0.hasPrefix("db-") || $0 == "current" }, "\(left)")
    }

    @Test func pdfTextPrintsWhatTheParserReadsWithPages() throws {
        let text = try CommandRunner.run(["pdf-text", "--pages", try PDFFixtures.file("gz-2024.pdf").path])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("p9[1]\t## 前言"), "\(text.standardOutput.prefix(2000))")
        #expect(!text.standardOutput.contains("广州市中等职业教育质量报告（2024年度）"), "the running header is dropped")

        let scanned = try CommandRunner.run(["pdf-text", try PDFFixtures.file("scanned.pdf").path])
        #expect(scanned.status == 1)
        #expect(scanned.standardError.contains("scanned.pdf: error:"))
        #expect(scanned.standardError.contains("OCR"))
        #expect(scanned.standardError.contains("[pdf_no_text]"))
    }
}
