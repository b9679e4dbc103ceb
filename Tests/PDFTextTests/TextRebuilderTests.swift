import Foundation
import Testing
@testable import PDFText

/// The rebuilder on pages made up here, word by word, so that each rule is
/// seen on its own (the real PDFs are in ReportsTests/PDFReportTests).
@Suite struct TextRebuilderTests {
    /// A4 in points; body text 10 pt, one CJK character 10 pt wide, lines
    /// 16 pt apart, left margin 50, right edge 550 (50 characters a line).
    static let width = 595.0, height = 842.0

    struct PageBuilder {
        var number: Int
        var words: [PDFWord] = []
        var y = 80.0

        /// A line of text: its words at `x` (cells of a table: several
        /// words with gaps), each character 10 pt wide unless `size` says.
        mutating func line(_ parts: [(x: Double, text: String)], size: Double = 10, step: Double = 16) {
            for part in parts {
                let width = Double(part.text.count) * size
                words.append(PDFWord(text: part.text, x0: part.x, y0: y, x1: part.x + width, y1: y + size * 1.2,
                                     size: size, spaceAfter: false))
            }
            y += step
        }

        mutating func line(_ text: String, x: Double = 50, size: Double = 10, step: Double = 16) {
            line([(x, text)], size: size, step: step)
        }

        /// A full line of body text (runs to the right edge).
        mutating func full(_ seed: String, x: Double = 50) {
            let count = Int((550 - x) / 10)
            line(String(repeating: seed, count: count / seed.count + 1).prefix(count).description, x: x)
        }

        var page: PDFPage { PDFPage(number: number, width: TextRebuilderTests.width, height: TextRebuilderTests.height, label: nil, words: words) }
    }

    static func rebuild(_ pages: [PDFPage]) -> ExtractedText {
        ExtractedText.rebuild(pages.map { ($0, TextLine.lines(of: $0)) })
    }

    /// Header and footer on every page, like a published report.
    static func withRunningMatter(_ number: Int, body: (inout PageBuilder) -> Void) -> PDFPage {
        var builder = PageBuilder(number: number, y: 30)
        builder.line("广州市中等职业教育质量报告", x: 230, size: 8)
        builder.y = 80
        body(&builder)
        builder.y = 800
        builder.line("- \(number + 2) -", x: 290, size: 8)
        return builder.page
    }

    @Test func runningHeadersFootersAndPageNumbersAreDroppedAndPageNumbersKept() {
        let bodies = ["育人成效显著。", "服务贡献突出。", "文化传承有力。", "国际合作深化。"]
        let pages = (1...4).map { number in
            Self.withRunningMatter(number) { page in
                page.full(String(bodies[number - 1].prefix(2)), x: 70)
                page.line(bodies[number - 1])
            }
        }
        let extracted = Self.rebuild(pages)
        #expect(!extracted.text.contains("质量报告"))
        #expect(!extracted.text.contains("- 3 -"))
        #expect(extracted.printedPages == ["3", "4", "5", "6"])
        let paragraphs = extracted.text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(paragraphs.count == 4)
        for (paragraph, body) in zip(paragraphs, bodies) { #expect(paragraph.hasSuffix(body)) }
        #expect(extracted.linePages.compactMap { $0 } == [1...1, 2...2, 3...3, 4...4])
    }

    @Test func aLineThatOpensPagesFarApartIsNotRunningMatter() {
        // The same heading at the top of pages 1, 5 and 9 (a report holding
        // a part twice, a heading repeated per chapter): kept each time.
        let pages = (1...9).map { number in
            Self.withRunningMatter(number) { page in
                page.y = 70
                if number % 4 == 1 { page.line("案例 1-1 产教融合", x: 50, size: 10) }
                page.full(["育人", "成效", "服务", "贡献", "文化", "传承", "国际", "合作", "保障"][number - 1], x: 70)
                page.line("第\(number)段。")
            }
        }
        let extracted = Self.rebuild(pages)
        #expect(extracted.text.components(separatedBy: "案例 1-1 产教融合").count - 1 == 3)
        #expect(!extracted.text.contains("质量报告"), "the header on every page still goes")
    }

    @Test(arguments: [("12", "12"), ("- 12 -", "12"), ("第 12 页", "12"), ("第12页 共80页", "12"), ("12 / 80", "12"), ("iv", "iv"), ("一二三", nil), ("2024年度报告", nil)])
    func pageNumbersInTheirUsualForms(text: String, number: String?) {
        #expect(RunningMatter.pageNumber(in: text) == number)
    }

    @Test func aParagraphCutByAPageBreakIsOneParagraph() {
        let first = Self.withRunningMatter(1) { page in
            page.full("产教融合", x: 70)
            page.full("校企合作")
        }
        let second = Self.withRunningMatter(2) { page in
            page.line("协同育人。")
            page.line("新的段落从缩进开始。", x: 70)
        }
        let extracted = Self.rebuild([first, second])
        let paragraphs = extracted.text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(paragraphs.count == 2)
        #expect(paragraphs[0].hasSuffix("校企协同育人。"))
        #expect(!paragraphs[0].contains(" "), "a CJK wrap is not a space")
        #expect(paragraphs[1] == "新的段落从缩进开始。")
        #expect(extracted.linePages.compactMap { $0 } == [1...2, 2...2])
    }

    @Test func aLineThatStopsShortEndsItsParagraphAndLatinWrapsKeepTheirSpace() {
        var page = PageBuilder(number: 1)
        page.full("数据", x: 70)
        page.line([(50, "成效显著。")])
        page.line([(50, "AI")])  // not a paragraph's end: a word cut by the wrap below
        let extracted = Self.rebuild([page.page])
        let paragraphs = extracted.text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(paragraphs.count == 2)
        #expect(paragraphs[0].hasSuffix("成效显著。"))
        #expect(TextRebuilder(measures: LayoutMeasures(lines: [])).join(["使用 AI", "model 教学"]) == "使用 AI model 教学")
    }

    @Test func largerLinesAreHeadingsByTheirSize() {
        var page = PageBuilder(number: 1)
        page.line("1. 人才培养", size: 16, step: 24)
        page.line("1.1 育人成效", size: 13, step: 20)
        page.full("正文", x: 70)
        page.line("结束。")
        let lines = Self.rebuild([page.page]).text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.prefix(2) == ["# 1. 人才培养", "## 1.1 育人成效"])
    }

    @Test func aHeadingSetLikeBodyTextIsABlockWhenTheParserReadsItAsOne() {
        // No gap, no indent, no larger size: only its words say it is a heading.
        var page = PageBuilder(number: 1)
        page.full("育人", x: 70)
        page.full("成效")
        page.line("1.1.2 以赛促教引领技能提升")
        page.full("技能", x: 50)
        page.line("1.2 倍的增长在本行之末。")
        let isHeading: @Sendable (String) -> Bool = { $0.range(of: #"^[0-9]+(\.[0-9]+)+\s"#, options: .regularExpression) != nil }
        let rebuilt = ExtractedText.rebuild([(page.page, TextLine.lines(of: page.page))], isHeading: isHeading)
        let blocks = rebuilt.text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(blocks.count == 3, "\(blocks)")
        #expect(blocks[1] == "1.1.2 以赛促教引领技能提升")
        #expect(blocks[2].hasSuffix("1.2 倍的增长在本行之末。"), "a sentence's end is not a heading")
    }

    @Test func tableCellsBecomeColumnsAndAWrappedCellJoinsItsRow() {
        var page = PageBuilder(number: 1)
        page.line("表 1-3：试点名单", x: 240)
        page.y += 6
        // Rows 22 pt apart (padding and rules); a cell's second line 12 pt below.
        // The school column is 80 pt wide: 广州市贸易职业 fills it and wraps.
        page.line([(55, "序号"), (110, "区"), (160, "学校名称"), (240, "方向")], step: 22)
        page.line([(55, "1"), (110, "越秀"), (160, "广州市贸易职业"), (240, "电子商务")], step: 12)
        page.line([(160, "高级中学")], step: 22)
        // A row whose other cells are merged with the row above's: not a wrap
        // (电子商务 did not fill its column).
        page.line([(240, "艺术设计")], step: 22)
        page.line([(55, "合计"), (240, "2")], step: 30)
        page.line("数据来源：统计。", x: 50)
        let lines = Self.rebuild([page.page]).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let table = Array(lines.drop { !$0.hasPrefix("序号") }.prefix { !$0.isEmpty })
        #expect(table == ["序号\t区\t学校名称\t方向", "1\t越秀\t广州市贸易职业高级中学\t电子商务", "\t\t\t艺术设计", "合计\t\t\t2"])
        #expect(lines.contains("数据来源：统计。"))
    }

    @Test func contentsEntriesStayOneALine() {
        var page = PageBuilder(number: 1)
        page.line("目录", x: 280, size: 14, step: 24)
        page.line([(50, "1.1 育人成效 ............................................"), (540, "3")])
        page.line([(50, "1.2 思政课程 ............................................"), (540, "19")])
        #expect(TextRebuilder.endsWithLeader("1.1 育人成效 ........ 3"))
        #expect(!TextRebuilder.endsWithLeader("增长 3.5"))
        let lines = Self.rebuild([page.page]).text.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 3)
    }

    @Test func footnotesAndSuperscripts() {
        #expect(ExtractedText.footnoteDefinition("①为教育系统实际办学数。") == "<sup>①</sup> 为教育系统实际办学数。")
        #expect(ExtractedText.footnoteDefinition("注：数据为预估。") == "注：数据为预估。")
        var page = PageBuilder(number: 1)
        page.line([(50, "学校 31 所"), (120, "①")], size: 10)
        page.words[1].size = 6
        page.words[1].y0 += 1
        page.words[1].y1 = page.words[1].y0 + 7
        #expect(Self.rebuild([page.page]).text.hasPrefix("学校 31 所<sup>①</sup>"))
    }

    @Test func runInHeadsAreMarkedBoldAsInTheTextReports() {
        #expect(TextRebuilder.markRunInHead("体育固本，强身健体。广州市贯彻落实…") == "**体育固本，强身健体。**广州市贯彻落实…")
        #expect(TextRebuilder.markRunInHead("广州市贯彻落实教育部的文件精神，推动学校体育工作。") == "广州市贯彻落实教育部的文件精神，推动学校体育工作。")
    }
}
