import AnliTestSupport
import Foundation
import Reports
import Testing

/// The Guangzhou 2024 report, parsed once for all tests in this suite: the
/// hard parts of the seed pinned down one by one.
@Suite struct SeedReportTests {
    static let parsed: ParsedReport = {
        let corpus = try! Corpus(directory: Repository.corpus, displayPath: "corpus")
        return try! corpus.parse(corpus.manifest.reports.first { $0.id == "gz-2024" }!)
    }()

    var report: ParsedReport { Self.parsed }

    func unit(_ id: String) throws -> ReportUnit {
        try #require(report.units.first { $0.id == "gz-2024/\(id)" }, "no unit \(id)")
    }

    @Test func unitCounts() {
        #expect(report.count(of: .case) == 66)
        #expect(report.count(of: .table) == 10)
        #expect(report.count(of: .figure) == 59)
        // One row unit per logical row: 表 1-3 has 5, 表 6-3 has 2 × 10 …
        #expect(report.count(of: .row) == 81)
    }

    @Test func unitIDsAreUniqueAndWellFormed() {
        let ids = report.units.map(\.id)
        #expect(Set(ids).count == ids.count)
        for unit in report.units {
            #expect(unit.id == "gz-2024/\(unit.kind.rawValue)/\(unit.number)")
            #expect(unit.report == "gz-2024")
            #expect(unit.year == 2024)
        }
    }

    @Test(arguments: [
        // Headings at ##, ### and ####, and titles that lack the TOC's comma.
        ("1-1", "建三全育人体系，树“弘美德育”品牌"),
        ("1-9", "荣耀世校赛场 三金一银铸就辉煌篇章"),
        ("1-29", "AI 技术赋能直播实训，推动教学创新与非遗文化传承的深度融合"),
        ("5-4", "产教融合育工匠，技能大赛夺金奖"),
        ("6-3", "精准定位强内涵 协同共进创优质"),
    ])
    func caseTitlesComeFromTheBody(number: String, title: String) throws {
        #expect(try unit("case/\(number)").title == title)
    }

    @Test func tocTitlesAreKeptWhereTheyDiffer() throws {
        let withTOCTitle = report.units.filter { $0.kind == .case && $0.tocTitle != nil }.map(\.number)
        #expect(withTOCTitle == ["1-9", "2-1", "4-4"])
        #expect(try unit("case/1-9").tocTitle == "荣耀世校赛场，三金一银铸就辉煌篇章")
    }

    @Test func tocCrossCheckReportsOnlyRealDifferences() {
        let differences = report.warnings.filter { $0.code.hasPrefix("toc_") }
        let described = Set(differences.map { $0.message.components(separatedBy: " title differs").first! })
        #expect(described == ["案例 1-9", "案例 2-1", "案例 4-4", "图 1-4", "图 1-8", "图 2-8", "图 5-2", "图 5-3", "图 5-5"])
        #expect(differences.allSatisfy { $0.code == "toc_title_differs" && $0.line != nil })
    }

    @Test func noUnitContainsTableOfContentsText() {
        // The four TOC blocks stand on lines 10–216 of the seed.
        for unit in report.units {
            #expect(unit.lines.start > 216, "\(unit.id) starts in the TOC")
            #expect(!unit.text.contains("....."), "\(unit.id) holds a TOC leader")
        }
        #expect(!report.units.contains { $0.text.contains("案例 1-1\t") })
    }

    @Test func sectionDepthComesFromNumbering() throws {
        // `### 1.1.3` and `#### 1.1.1` are both depth 3, whatever the #s say.
        let section = try unit("section/1.1.3")
        #expect(section.sectionPath == ["1", "1.1", "1.1.3"])
        #expect(section.headings == ["1 人才培养", "1.1 育人成效", "1.1.3 拓宽通道服务学生发展"])
        #expect(section.chapter == ChapterRef(number: "1", title: "人才培养"))
        #expect(try unit("section/preface").title == "前言")
        #expect(try unit("section/overview").title == "基本情况")
    }

    @Test func sectionTextExcludesItsCasesTablesAndFigures() throws {
        let section = try unit("section/1.1.1")
        #expect(section.text.hasPrefix("广州市牢牢把握立德树人根本任务"))
        #expect(!section.text.contains("广州市纺织服装职业学校以立德树人"))  // case 1-1
        #expect(!section.text.contains("旅商研学职业体验中心"))  // table 1-1
        #expect(section.tables == ["gz-2024/table/1-1"])
        // Prose resuming after a case belongs to the section.
        #expect(section.text.contains("体育固本，强身健体。"))
    }

    @Test func proseResumingAfterACaseWithoutHeadingBelongsToTheSection() throws {
        let caseUnit = try unit("case/5-1")
        #expect(!caseUnit.text.contains("广州市中职学校积极参与两翼建设"))
        #expect(caseUnit.text.hasSuffix("进行了授牌。"))
        #expect(try unit("section/5.1.1").text.contains("广州市中职学校积极参与两翼建设"))
    }

    @Test func table1_3MergesContinuationRows() throws {
        let table = try #require(try unit("table/1-3").table)
        #expect(table.header == ["序号", "区", "学校名称", "招生方向"])
        #expect(table.rows.count == 5)
        #expect(table.rows[0] == ["1", "越秀", "广州市贸易职业高级中学", "电子商务\n艺术设计与制作"])
        #expect(try unit("table/1-3").parent == "gz-2024/case/1-12")
        #expect(report.units.filter { $0.row?.table == "gz-2024/table/1-3" }.count == 5)
    }

    @Test func table1_2FillsMergedCellsDown() throws {
        let table = try #require(try unit("table/1-2").table)
        #expect(table.rows.count == 4)
        #expect(table.rows[1] == ["2023", "占全省比例", "16.97%", "17.00%", "13.04%", "15.03%"])
        #expect(table.source == "数据来源：广东省教育厅公布数据。")
    }

    @Test func table6_3SplitsSideBySideRankings() throws {
        let table = try #require(try unit("table/6-3").table)
        let parts = try #require(table.parts)
        #expect(parts.map(\.label) == ["2022-2023 学年", "2023-2024 学年"])
        #expect(parts.map(\.header) == [["排名", "学校名称"], ["排名", "学校名称"]])
        #expect(parts.map(\.rows.count) == [10, 10])
        #expect(parts[1].rows[0] == ["1", "广州市旅游商务职业学校"])
        let row = try unit("row/6-3.11")
        #expect(row.row?.part == "2023-2024 学年")
        #expect(row.schools.map(\.id) == ["gz-lvyou-shangwu"])
    }

    @Test func table1_5SurvivesAPageBreak() throws {
        // Rows 1–6 and 7–11 are separated by blank lines in the file.
        #expect(try unit("table/1-5").table?.rows.count == 11)
    }

    @Test func rowUnitsPointAtTheExactCell() throws {
        let row = try unit("row/6-2.2")
        #expect(row.parent == "gz-2024/table/6-2")
        #expect(row.row?.cells.first { $0.header == "生师比" }?.value == "17.76:1")
        #expect(row.text.contains("生师比：17.76:1"))
        #expect(row.years == [2023])
        #expect(try unit("table/6-1").table?.header[1] == "生均占地面积 (m²)")
    }

    @Test func case3_2ResolvesTheMisorderedSchoolName() throws {
        // The text writes 广州市信息职业技术学校 for 广州市信息技术职业学校.
        let caseUnit = try unit("case/3-2")
        #expect(caseUnit.text.hasPrefix("广州市信息职业技术学校"))
        #expect(caseUnit.schools.map(\.id) == ["gz-xinxi-jishu"])
    }

    @Test(arguments: [
        // The acting school, not the partners it names.
        ("5-9", ["gz-jiaotong-yunshu"], ["gz-tielu-zhiyuan"]),
        ("2-7", ["gz-jiaotong-yunshu"], ["xj-shufu-zhongzhi"]),
        // No 广州市 prefix in the text.
        ("1-13", ["gz-zengcheng-weisheng"], []),
        ("1-15", ["gz-conghua-zhiji"], ["gz-gd-jishu-shifan", "gz-jiaotong-yunshu", "pn-puning-zhiji"]),
        // Two schools, each the subject of its own sentence.
        ("1-20", ["gz-zengcheng-zhiji", "gz-zengcheng-weisheng"], []),
        // A city-level case is about no single school.
        ("3-3", [], []),
    ])
    func caseSchoolsAreWhatTheCaseIsAbout(number: String, about: [String], mentioned: [String]) throws {
        let caseUnit = try unit("case/\(number)")
        #expect(caseUnit.schools.map(\.id) == about)
        #expect(caseUnit.mentionedSchools.map(\.id) == mentioned)
    }

    @Test func districtsFollowSchoolsAndNamedDistricts() throws {
        #expect(try unit("case/1-13").districts == ["增城区"])
        #expect(try unit("case/6-2").districts == ["增城区"])  // 位于增城区朱村街
    }

    @Test func pageBreakDuplicateCharacterIsRemoved() throws {
        let overview = try unit("section/overview")
        #expect(overview.text.contains("以省高水平中职学校和专业群建设为抓手，以市中职学校"))
        #expect(!overview.text.contains("抓手手"))
        #expect(report.diagnostics.contains { $0.code == "page_break_duplicate" && $0.line == 244 })
    }

    @Test func sentencesSplitByPageBreaksAreJoined() throws {
        #expect(try unit("section/1.1.4").text.contains("公共基础课（不含思想政治课）教学满意度为87.95%"))
        #expect(try unit("case/1-1").text.contains("向广大师生和家长宣传品牌内涵。"))
        let joins = report.diagnostics.filter { $0.code == "page_break_joined" }
        #expect(joins.count == 25)
    }

    @Test func footnotesAttachToTheUnitThatCitesThem() throws {
        // ⑥ is cited in 6.4 but printed inside 6.5.1's split paragraph.
        let cited = try unit("section/6.4")
        #expect(cited.footnotes.map(\.marker) == ["⑥"])
        #expect(cited.footnotes.first?.text == "数据来源：2022、2023 年全国教育经费统计数据。")
        #expect(try unit("section/6.5.1").footnotes.isEmpty)
        #expect(!(try unit("section/6.5.1").text.contains("全国教育经费统计数据")))
        // ④ is printed after case 1-17 but cited by section 1.1.4.
        #expect(try unit("section/1.1.4").footnotes.map(\.marker) == ["④"])
        #expect(try unit("case/1-17").footnotes.isEmpty)
        #expect(try unit("section/overview").footnotes.map(\.marker) == ["①", "②"])
    }

    @Test func captionFragmentAfterAFigureContinuesTheCaption() throws {
        let figure = try unit("figure/1-8")
        #expect(figure.title == "在广州市二中开展劳动教育之职业启蒙体验进校园活动暨送课活动")
        #expect(figure.parent == "gz-2024/case/1-8")
        #expect(report.units.allSatisfy { $0.title != "暨送课活动" })
    }

    @Test func figuresBelongToTheirUnit() throws {
        #expect(try unit("case/2-6").figures == ["gz-2024/figure/2-6", "gz-2024/figure/2-7"])
        let figure = try unit("figure/1-9")
        #expect(figure.schools.map(\.id) == ["gz-lvyou-shangwu"])
        // 学校人工智能实训室: the school comes from the case.
        #expect(try unit("figure/1-25").schools.map(\.id) == ["gz-yiyao"])
    }

    @Test func misnumberedReferencesAreKeptAsWritten() throws {
        // 见表1-6 refers to 表 2-1; no link is invented.
        let section = try unit("section/2.1")
        #expect(section.text.contains("（见表1-6）"))
        #expect(section.tables == ["gz-2024/table/2-1"])
    }

    @Test func yearsMentioned() throws {
        #expect(try unit("case/1-15").years == [2019, 2022, 2023, 2024])
        // 本年度 is the report's year.
        #expect(try unit("case/2-1").years.contains(2024))
    }

    @Test func lineRangesPointIntoTheFile() throws {
        #expect(try unit("case/1-12").lines == LineRange(start: 398, end: 414))
        #expect(try unit("figure/1-1").lines == LineRange(start: 265, end: 265))
    }
}
