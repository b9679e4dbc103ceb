import AnliTestSupport
import Foundation
import Reports
import Testing

/// Small reports written for the tests, in layouts other reports use:
/// Chinese-numeral headings as plain lines (一、 / （一） / 1.), 第一部分
/// chapters, 【案例1】 and 案例二： markers, pipe tables with the caption above
/// or below, footnotes. The same parser handles them with no special code.
@Suite struct LayoutFixtureTests {
    static let fixtures = Bundle.module.url(forResource: "layouts", withExtension: nil, subdirectory: "Fixtures")!

    func parse(_ id: String) throws -> ParsedReport {
        let corpus = try Corpus(directory: Self.fixtures, displayPath: "layouts")
        return try corpus.parse(try #require(corpus.manifest.reports.first { $0.id == id }))
    }

    func unit(_ report: ParsedReport, _ id: String) throws -> ReportUnit {
        try #require(report.units.first { $0.id == "\(report.info.id)/\(id)" }, "no unit \(id)")
    }

    @Test func chineseNumeralHeadingsNest() throws {
        let report = try parse("jia-2023")
        let sections = report.units.filter { $0.kind == .section }.map(\.number)
        #expect(sections == ["preface", "1", "1.1", "1.1.1", "1.2", "2"])
        let nested = try unit(report, "section/1.1.1")
        #expect(nested.title == "市赛组织")
        #expect(nested.headings == ["学生发展", "技能大赛", "市赛组织"])
        #expect(nested.chapter?.title == "学生发展")
    }

    @Test func bracketAndChineseNumeralCaseMarkers() throws {
        let report = try parse("jia-2023")
        let first = try unit(report, "case/1")
        #expect(first.title == "甲市电子职业学校夺得全国金牌")
        #expect(first.sectionPath == ["1", "1.1", "1.1.1"])
        #expect(first.schools.map(\.id) == ["jia-dianzi"])
        #expect(first.mentionedSchools.map(\.id) == ["jia-xiqu-zhiji"])
        #expect(first.figures == ["jia-2023/figure/1"])
        // Joined across the page break; the resumed section prose is not the case's.
        #expect(first.text.contains("联合集训，形成了稳定的竞赛梯队。"))
        #expect(!first.text.contains("营造以赛促学的氛围"))
        #expect(try unit(report, "section/1.1.1").text.contains("营造以赛促学的氛围"))

        let second = try unit(report, "case/2")
        #expect(second.title == "西区职业技术学校校企合作")
        #expect(second.schools.map(\.id) == ["jia-xiqu-zhiji"])
        #expect(second.districts == ["西区"])
        #expect(second.sectionPath == ["1", "1.2"])
    }

    @Test func pipeTableWithCaptionAbove() throws {
        let report = try parse("jia-2023")
        let table = try #require(try unit(report, "table/1").table)
        #expect(table.caption == "毕业生去向统计")
        #expect(table.header == ["去向", "人数", "比例"])
        #expect(table.rows == [["升学", "1200", "60%"], ["就业", "800", "40%"]])
        #expect(table.source == "数据来源：甲市教育局。")
        #expect(try unit(report, "row/1.2").row?.cells[1] == RowData.Cell(header: "人数", value: "800"))
    }

    @Test func footnoteAndFrontMatter() throws {
        let report = try parse("jia-2023")
        #expect(try unit(report, "section/2").footnotes == [Footnote(marker: "①", text: "数据来源：甲市财政局。", line: 64)])
        #expect(!report.units.contains { $0.text.contains("甲市教育局\n") || $0.title.contains("质量报告") })
        // The TOC matches the body: nothing to report.
        #expect(report.warnings.isEmpty, "\(report.warnings)")
    }

    @Test func chaptersAndCaptionsBelowTables() throws {
        let report = try parse("yi-2022")
        let sections = report.units.filter { $0.kind == .section }.map(\.number)
        #expect(sections == ["1", "1.1", "1.1.1", "2", "2.1"])
        #expect(try unit(report, "section/1").title == "学校概况")
        let table = try unit(report, "table/1-1")
        #expect(table.title == "乙市中职学校师资情况")
        #expect(table.table?.rows == [["2021", "17.0:1", "60%"], ["2022", "16.5:1", "62%"]])
        #expect(table.parent == "yi-2022/section/1.1.1")
    }

    @Test func pipeTableContinuationAndRaggedRows() throws {
        let report = try parse("yi-2022")
        let table = try #require(try unit(report, "table/1-2").table)
        #expect(table.rows == [["汽车运用", "新能源\n智能网联"], ["物流", "冷链", "多出来的格"]])
        #expect(report.warnings.contains { $0.code == "table_row_ragged" && $0.line == 28 })
        #expect(try unit(report, "table/1-2").parent == "yi-2022/case/1-1")
        // 乙旅职 is a short form in the gazetteer.
        #expect(try unit(report, "case/1-1").mentionedSchools.map(\.id) == ["yi-lvyou"])
    }

    @Test func duplicatedCaseIDsAreKeptAndReported() throws {
        let report = try parse("yi-2022")
        let cases = report.units.filter { $0.kind == .case }.map(\.id)
        #expect(cases == ["yi-2022/case/1-1", "yi-2022/case/2-1", "yi-2022/case/2-1.dup2"])
        let warning = try #require(report.warnings.first { $0.code == "duplicate_id" })
        #expect(warning.line == 40)
        #expect(warning.file == "layouts/chapters-and-pipes.md")
    }
}
