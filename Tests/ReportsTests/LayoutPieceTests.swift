@testable import Reports
import Testing

/// Table-driven tests of the parser's small pieces.
@Suite struct HeadingPatternTests {
    @Test(arguments: [
        // Decimal numbering carries its depth.
        ("1.1.3 拓宽通道服务学生发展", true, HeadingPattern.section(style: .decimal, numbers: [1, 1, 3], title: "拓宽通道服务学生发展")),
        ("1. 人才培养", true, .section(style: .decimal, numbers: [1], title: "人才培养")),
        // Chinese-numeral styles.
        ("一、学生发展", false, .section(style: .chineseNumeral, numbers: [1], title: "学生发展")),
        ("十二、其他", false, .section(style: .chineseNumeral, numbers: [12], title: "其他")),
        ("（二）升学就业", false, .section(style: .parenthesizedChineseNumeral, numbers: [2], title: "升学就业")),
        ("(3) 校企合作", false, .section(style: .parenthesizedArabic, numbers: [3], title: "校企合作")),
        ("第一部分 学校概况", true, .section(style: .chapter, numbers: [1], title: "学校概况")),
        // Case markers, with and without separators.
        ("案例 1-12 广州开展综合高中试点", true, .caseMarker(number: "1-12", title: "广州开展综合高中试点")),
        ("案例1－2：标题", false, .caseMarker(number: "1-2", title: "标题")),
        ("【案例3】标题", false, .caseMarker(number: "3", title: "标题")),
        ("案例十一：标题", false, .caseMarker(number: "11", title: "标题")),
        // Captions set as headings.
        ("图 1-1：“弘美”德育品牌", true, .figureCaption(number: "1-1", caption: "“弘美”德育品牌")),
        ("表 6-2: 教师队伍", true, .tableCaption(number: "6-2", caption: "教师队伍")),
        ("目 录", true, .tableOfContents(.contents)),
        ("案例目录", true, .tableOfContents(.cases)),
        // Unnumbered markdown headings stay unnumbered.
        ("暨送课活动", true, .unnumbered("暨送课活动")),
    ])
    func classify(text: String, markdown: Bool, expected: HeadingPattern) {
        #expect(HeadingPattern.classify(text, isMarkdownHeading: markdown) == expected)
    }

    @Test(arguments: [
        // Sentences that start like headings are prose.
        "一、学生发展取得显著成效，就业率达到 96%。",
        "2024 年，广州市召开产教对接会",
        "1100人参加培训",
        "案例教学法在课堂中的应用越来越广泛",
    ])
    func prosePlainLinesAreNotHeadings(text: String) {
        #expect(HeadingPattern.classify(text, isMarkdownHeading: false) == nil)
    }
}

@Suite struct TableLayoutTests {
    func rows(_ lines: [[String]]) -> [RawTable.Row] {
        lines.enumerated().map { RawTable.Row(cells: $0.element, line: $0.offset + 1) }
    }

    @Test func continuationRowsMerge() {
        let result = TableLayout.analyze(rows([
            ["序号", "学校", "方向"],
            ["1", "甲校", "电子商务"],
            ["", "", "艺术设计"],
        ]))
        #expect(result.parts.count == 1)
        #expect(result.parts[0].rows.map(\.cells) == [["1", "甲校", "电子商务\n艺术设计"]])
        #expect(result.parts[0].rows[0].lines == 2...3)
    }

    @Test func mergedCellsFillDown() {
        let result = TableLayout.analyze(rows([
            ["年度", "奖牌", "一等奖", "二等奖"],
            ["2023", "奖牌数", "83", "138"],
            ["", "占比", "16.97%", "17.00%"],
        ]))
        #expect(result.parts[0].rows.map(\.cells) == [["2023", "奖牌数", "83", "138"], ["2023", "占比", "16.97%", "17.00%"]])
    }

    @Test func sideBySideLayoutsSplit() {
        let result = TableLayout.analyze(rows([
            ["2022 学年", "", "2023 学年"],
            ["排名", "学校", "排名", "学校"],
            ["1", "甲校", "1", "乙校"],
            ["2", "乙校", "2", "甲校"],
        ]))
        #expect(result.parts.map(\.label) == ["2022 学年", "2023 学年"])
        #expect(result.parts[1].rows.map(\.cells) == [["1", "乙校"], ["2", "甲校"]])
    }

    @Test func raggedRowsAreKeptWithAWarning() {
        let result = TableLayout.analyze(rows([
            ["a", "b"],
            ["1", "2", "3"],
            ["4", "5", ""],
        ]))
        #expect(result.parts[0].rows.map(\.cells) == [["1", "2", "3"], ["4", "5"]])
        #expect(result.warnings.map(\.line) == [2])
    }
}

@Suite struct PageBreakRepairTests {
    @Test(arguments: [
        ("推进心理健康教育。", true),
        ("他说：“很好。”", true),
        ("见表 1-1）；", true),
        ("向广大师生和家长宣传", false),
        // A closing quote alone does not end a sentence.
        ("持续强化“金课程”", false),
        ("占比约为 2.39%<sup>③</sup>，", false),
    ])
    func sentenceEnds(text: String, ends: Bool) {
        #expect(PageBreakRepair.endsSentence(text) == ends)
    }

    @Test func joinsAcrossFootnotesAndDropsTheRepeatedCharacter() {
        let blocks = [
            Block(content: .paragraph("以专业群建设为抓手"), firstLine: 1, lastLine: 1),
            Block(content: .footnote(marker: "①", text: "脚注"), firstLine: 3, lastLine: 3),
            Block(content: .paragraph("手，以评价为引领。"), firstLine: 5, lastLine: 5),
        ]
        let result = PageBreakRepair.repair(blocks)
        #expect(result.blocks.first?.content == .paragraph("以专业群建设为抓手，以评价为引领。"))
        #expect(result.blocks.first?.lastLine == 5)
        #expect(result.blocks.count == 2)
    }

    @Test func keepsGenuinelyRepeatedCharacters() {
        // 人人 is a word: the next paragraph's first character is not followed by punctuation.
        let blocks = [
            Block(content: .paragraph("形成人"), firstLine: 1, lastLine: 1),
            Block(content: .paragraph("人皆学的氛围。"), firstLine: 3, lastLine: 3),
        ]
        #expect(PageBreakRepair.repair(blocks).blocks.first?.content == .paragraph("形成人人皆学的氛围。"))
    }
}

@Suite struct YearMentionsTests {
    @Test(arguments: [
        ("2024年1月，", [2024]),
        ("2023-2024学年", [2023, 2024]),
        ("2022、2023 年全国教育经费", [2022, 2023]),
        ("本年度满意度提升，较上年度", [2023, 2024]),
        // Quantities and decimals are not years.
        ("总投入达到 2000 万元，生均 2024.5 元，共 2030 人", []),
    ])
    func years(text: String, expected: [Int]) {
        #expect(YearMentions.extract(from: text, reportYear: 2024) == expected)
    }
}

@Suite struct NameMatcherTests {
    let gazetteer = Gazetteer(
        districts: [.init(name: "番禺区", aliases: [])],
        schools: [
            .init(id: "panyu-gongshang", name: "广州市番禺区工商职业技术学校", district: "番禺区", kind: "区属",
                  aliases: ["番禺区工商职业技术学校", "广州市番禺区工商职业技术学院"], notes: nil),
            .init(id: "xinxi", name: "广州市信息技术职业学校", district: nil, kind: "局属",
                  aliases: ["广州市信息职业技术学校"], notes: nil),
        ])

    @Test func longestMatchWinsAndDistrictsInsideNamesAreNotCounted() {
        let matches = NameMatcher(gazetteer: gazetteer).matches(in: "广州市番禺区工商职业技术学院与番禺区工商职业技术学校在番禺区")
        #expect(matches.map(\.target) == [.school(id: "panyu-gongshang"), .school(id: "panyu-gongshang"), .district(name: "番禺区")])
    }

    @Test func whitespaceInsideNamesIsIgnored() {
        let matches = NameMatcher(gazetteer: gazetteer).matches(in: "由 广州市信息 职业技术学校 承办")
        #expect(matches.map(\.target) == [.school(id: "xinxi")])
        #expect(matches.first?.offset == 2)
    }
}

/// Lines of a PDF's rebuilt text to its pages.
@Suite struct PageLookupTests {
    // Lines: 1 on page 1, 2 blank, 3 on pages 1–2, 4 blank, 5 on page 3.
    let lookup = PageLookup(linePages: [1...1, nil, 1...2, nil, 3...3], printed: [nil, "1", "2"])

    @Test func aUnitSpansThePagesOfItsLines() {
        #expect(lookup.span(LineRange(start: 1, end: 3)) == PageSpan(start: 1, end: 2))
        #expect(lookup.span(LineRange(start: 3, end: 5)) == PageSpan(start: 1, end: 3))
        // Printed only where both ends print a number.
        #expect(lookup.span(LineRange(start: 5, end: 5)) == PageSpan(start: 3, end: 3, printed: .init(start: "2", end: "2")))
    }

    @Test func aBlankLineTakesThePageOfTheNextAndLinesPastTheEndHaveNone() {
        #expect(lookup.page(ofLine: 2) == 1)
        #expect(lookup.page(ofLine: 4) == 3)
        #expect(lookup.page(ofLine: 6) == nil)
        #expect(lookup.page(ofLine: 60) == nil)
        #expect(lookup.span(LineRange(start: 9, end: 12)) == nil)
        #expect(lookup.replacingLineMentions(in: "body (line 5) and (line 99)") == "body (page 3) and (line 99)")
    }
}
