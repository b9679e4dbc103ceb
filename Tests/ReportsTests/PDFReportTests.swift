import AnliTestSupport
import Foundation
import Reports
import Testing

/// PDF reports end to end: PDFs generated from the seed (tools/pdf-fixtures)
/// parsed through poppler and the PDF text rebuilder, against the text they
/// were made from and against where the generator's outline says each
/// heading landed.
@Suite struct PDFReportTests {
    /// A corpus of the fixtures with the seed's gazetteer: the seed text, its
    /// PDF, the second layout's text and PDF, and the bad PDFs.
    static let corpus: (Corpus, TemporaryDirectory) = {
        let directory = try! TemporaryDirectory(prefix: "anli-pdf-corpus")
        let fixtures = try! PDFFixtures.directory()
        for name in ["schools.json", "synonyms.json", "guangzhou-2024.md"] {
            try! FileManager.default.copyItem(at: Repository.corpus.appendingPathComponent(name), to: directory.url.appendingPathComponent(name))
        }
        var reports: [[String: Any]] = [
            report("gz-2024", "guangzhou-2024.md"), report("gz-2024-pdf", "gz-2024.pdf"),
            report("layout-b", "layout-b.md"), report("layout-b-pdf", "layout-b.pdf"),
        ]
        for bad in badPDFs.map(\.file) { reports.append(report("bad-" + bad.dropLast(4), bad)) }
        for name in ["gz-2024.pdf", "layout-b.pdf", "layout-b.md"] + badPDFs.map(\.file) {
            try! FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: directory.url.appendingPathComponent(name))
        }
        let manifest = try! JSONSerialization.data(withJSONObject: ["reports": reports])
        try! manifest.write(to: directory.url.appendingPathComponent("reports.json"))
        return (try! Corpus(directory: directory.url, displayPath: "fixtures"), directory)
    }()

    static func report(_ id: String, _ file: String) -> [String: Any] {
        ["id": id, "title": id, "region": "广州市", "publisher": "广州市教育局", "year": 2024, "academicYear": "2023-2024", "published": "2024-12", "file": file]
    }

    static let badPDFs: [(file: String, code: String, says: String)] = [
        ("encrypted.pdf", "pdf_encrypted", "password"),
        ("scanned.pdf", "pdf_no_text", "OCR"),
        ("truncated.pdf", "pdf_damaged", "damaged or truncated"),
        ("zero-pages.pdf", "pdf_no_pages", "without pages"),
        ("not-a-pdf.pdf", "pdf_not_a_pdf", "not a PDF"),
    ]

    static let parsed: [String: ParsedReport] = {
        let corpus = Self.corpus.0
        var parsed: [String: ParsedReport] = [:]
        for report in corpus.manifest.reports where !report.id.hasPrefix("bad-") {
            parsed[report.id] = try! corpus.parse(report)
        }
        return parsed
    }()

    /// Unit ids without the report part, to compare two reports' units.
    static func byLocalID(_ report: ParsedReport) -> [String: ReportUnit] {
        Dictionary(uniqueKeysWithValues: report.units.map { (String($0.id.dropFirst(report.info.id.count + 1)), $0) })
    }

    /// Line wraps in a PDF lose the spaces a text report sets around
    /// numbers and Latin words; everything else must match.
    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    @Test func theSeedsPDFParsesToTheSameUnitsAsItsText() throws {
        let text = try #require(Self.parsed["gz-2024"])
        let pdf = try #require(Self.parsed["gz-2024-pdf"])
        #expect(pdf.count(of: .case) == 66)
        #expect(pdf.count(of: .table) == 10)
        #expect(pdf.count(of: .figure) == 59)
        let fromText = Self.byLocalID(text)
        let fromPDF = Self.byLocalID(pdf)
        #expect(Set(fromPDF.keys) == Set(fromText.keys))
        for (id, expected) in fromText {
            let unit = try #require(fromPDF[id], "\(id) is missing from the PDF")
            #expect(unit.title == expected.title, "\(id)")
            #expect(Self.squeezed(unit.text) == Self.squeezed(expected.text), "\(id)")
            #expect(unit.schools == expected.schools, "\(id)")
            #expect(unit.sectionPath == expected.sectionPath, "\(id)")
            #expect(unit.table?.rows.map { $0.map(Self.squeezed) } == expected.table?.rows.map { $0.map(Self.squeezed) }, "\(id)")
            #expect(unit.row?.cells.map { Self.squeezed($0.value) } == expected.row?.cells.map { Self.squeezed($0.value) }, "\(id)")
            #expect(unit.footnotes.map { [$0.marker, Self.squeezed($0.text)] } == expected.footnotes.map { [$0.marker, Self.squeezed($0.text)] }, "\(id)")
        }
        // The same warnings (the report's own TOC mismatches), none more.
        #expect(pdf.warnings.map(\.code).sorted() == text.warnings.map(\.code).sorted())
    }

    @Test func noRunningHeaderFooterOrPageNumberInsideAUnit() throws {
        let pdf = try #require(Self.parsed["gz-2024-pdf"])
        let header = "广州市中等职业教育质量报告（2024年度）"
        for unit in pdf.units {
            #expect(!unit.text.contains(header), "\(unit.id) holds the running header")
            // A page number alone on a line of a unit's text.
            #expect(!unit.text.split(separator: "\n").contains { $0.allSatisfy(\.isNumber) }, "\(unit.id)")
        }
        let layoutB = try #require(Self.parsed["layout-b-pdf"])
        for unit in layoutB.units {
            #expect(!unit.text.contains("第") || !unit.text.contains("页 共"), "\(unit.id) holds the footer")
            #expect(!unit.text.contains("广州市中职教育质量报告"), "\(unit.id) holds the running header")
        }
    }

    @Test(arguments: [("gz-2024-pdf", "gz-2024"), ("layout-b-pdf", "layout-b")])
    func everyCaseStartsOnThePageItsHeadingLandedOn(report: String, fixture: String) throws {
        let parsed = try #require(Self.parsed[report])
        let cases = parsed.units.filter { $0.kind == .case }
        let landed = try PDFFixtures.headings(of: fixture).filter {
            $0.title.range(of: #"^(案例\s*[0-9]+-[0-9]+|【案例[0-9]+】)"#, options: .regularExpression) != nil
        }
        try #require(cases.count == 66 && landed.count == 66)
        for (unit, heading) in zip(cases, landed) {
            #expect(Self.squeezed(heading.title).hasSuffix(Self.squeezed(unit.title)), "\(unit.id) is not \(heading.title)")
            let pages = try #require(unit.pages, "\(unit.id) has no pages")
            #expect(pages.start == heading.page, "\(unit.id): page \(pages.start), its heading is on \(heading.page)")
            #expect(pages.printed?.start == heading.printed, "\(unit.id)")
            #expect(pages.end >= pages.start)
        }
    }

    @Test func everyPDFUnitHasPagesAndTextUnitsHaveNone() throws {
        for report in ["gz-2024-pdf", "layout-b-pdf"] {
            let parsed = try #require(Self.parsed[report])
            let count = try #require(parsed.units.compactMap(\.pages).map(\.end).max())
            for unit in parsed.units {
                let pages = try #require(unit.pages, "\(unit.id)")
                #expect(1 <= pages.start && pages.start <= pages.end && pages.end <= count)
            }
        }
        // The seed's PDF numbers its body from 1 after 8 pages of cover and
        // contents: 前言 is on page 9, printed 1.
        let preface = try #require(Self.parsed["gz-2024-pdf"]?.units.first { $0.number == "preface" })
        #expect(preface.pages == PageSpan(start: 9, end: 9, printed: .init(start: "1", end: "1")))
        #expect(preface.pages?.citation == "p. 1")

        let text = try #require(Self.parsed["gz-2024"])
        #expect(text.units.allSatisfy { $0.pages == nil })
        let json = String(decoding: try JSONEncoder().encode(text.units[0]), as: UTF8.self)
        #expect(!json.contains("\"pages\""), "a text report's unit must have no pages field, not an empty one")
    }

    @Test func theSecondLayoutsPDFParsesLikeItsText() throws {
        let text = try #require(Self.parsed["layout-b"])
        let pdf = try #require(Self.parsed["layout-b-pdf"])
        let fromText = Self.byLocalID(text)
        let fromPDF = Self.byLocalID(pdf)
        for kind in [UnitKind.case, .table, .figure, .row] {
            #expect(pdf.count(of: kind) == text.count(of: kind), "\(kind)")
        }
        #expect(fromText["case/1"]?.title == "建三全育人体系，树“弘美德育”品牌")
        // The PDF sets 前言 and 基本情况 in a heading's size; the text has them
        // as plain lines, which the parser cannot tell from prose: the PDF
        // has those two sections more, nothing less.
        #expect(Set(fromText.keys).isSubset(of: Set(fromPDF.keys)))
        #expect(Set(fromPDF.keys).subtracting(fromText.keys) == ["section/preface", "section/overview"])
        // Every footnote marker in the text, small and raised after bold or
        // regular words, is found: each footnote is attached to its unit.
        #expect(pdf.warnings.filter { $0.code == "footnote_unreferenced" }.isEmpty, "\(pdf.warnings)")
        for (id, expected) in fromText where expected.kind != .section {
            let unit = try #require(fromPDF[id])
            #expect(unit.title == expected.title, "\(id)")
            #expect(Self.squeezed(unit.text) == Self.squeezed(expected.text), "\(id)")
            #expect(unit.schools == expected.schools, "\(id)")
        }
    }

    @Test(arguments: badPDFs.map { $0.file })
    func aBadPDFIsAnErrorNamingTheFileAndWhy(file: String) throws {
        let bad = try #require(Self.badPDFs.first { $0.file == file })
        let corpus = Self.corpus.0
        let report = try #require(corpus.manifest.reports.first { $0.file == file })
        #expect {
            try corpus.parse(report)
        } throws: { error in
            guard let error = error as? ReportError else { return false }
            return error.code.rawValue == bad.code && error.code.isUnreadablePDF && error.file == "fixtures/\(file)"
                && error.description.contains(bad.says) && error.line == nil
        }
    }
}
