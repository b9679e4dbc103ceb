import AnliTestSupport
import Foundation
import Testing

/// Runs the built `anli` binary as a user would and checks what it prints.
@Suite struct ParseCommandTests {
    @Test func summaryCountsUnitsAndListsWarnings() throws {
        let result = try CommandRunner.run(["parse", Repository.corpus.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("gz-2024  广州市中等职业教育质量报告（2024年度）"))
        #expect(result.standardOutput.contains("case 66, table 10, row 81, figure 59"))
        #expect(result.standardOutput.contains("guangzhou-2024.md:82: warning: 案例 1-9 title differs"))
    }

    @Test func jsonLinesAreOneUnitPerLine() throws {
        let result = try CommandRunner.run(["parse", Repository.corpus.path, "--json"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 274)
        var kinds: [String: Int] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            kinds[object["kind"] as! String, default: 0] += 1
            #expect(object["id"] is String && object["text"] is String && object["lines"] is [String: Int])
        }
        #expect(kinds == ["section": 58, "case": 66, "table": 10, "row": 81, "figure": 59])
        // Warnings go to standard error, never into the JSON stream.
        #expect(result.standardError.contains("[toc_title_differs]"))
    }

    @Test func missingCorpusExitsWithStatus2AndSaysWhy() throws {
        let result = try CommandRunner.run(["parse", "/nonexistent/corpus"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("/nonexistent/corpus: error: corpus directory not found"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aBrokenReportFailsWithStatus1ButOthersStillPrint() throws {
        let directory = try TemporaryDirectory()
        try directory.copyContents(of: Repository.corpus)
        let manifest = try String(contentsOf: directory.url.appendingPathComponent("reports.json"), encoding: .utf8)
        let broken = manifest.replacingOccurrences(
            of: "  ]\n}",
            with: """
                  ,{"id": "missing-2025", "title": "t", "region": "广州市", "publisher": "p", "year": 2025,
                    "academicYear": "2024-2025", "published": "2025-12", "file": "missing.md"}
                  ]
                }
                """)
        #expect(broken != manifest)
        try directory.write("reports.json", broken)
        let result = try CommandRunner.run(["parse", directory.path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("gz-2024"))
        #expect(result.standardError.contains("missing.md: error: report 'missing-2025' lists file 'missing.md', which does not exist [report_file_missing]"))
    }

    @Test func versionNamesXapian() throws {
        let result = try CommandRunner.run(["version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("anli 0.1.0 (xapian 1.4."))
    }
}
