/// Walks the blocks of one report in order and decides where each belongs:
/// which section is open, whether a case is running, which unit a figure,
/// table or footnote attaches to.
struct StructureBuilder {
    let info: ReportInfo
    let file: String
    let matcher: NameMatcher
    let gazetteer: Gazetteer
    var diagnostics: [Diagnostic] = []

    /// Every unit in document order.
    private var drafts: [UnitDraft] = []
    /// The open sections, outermost first.
    private var openSections: [UnitDraft] = []
    private var numbering = SectionNumbering()
    private var openCase: UnitDraft?
    /// The figure whose caption was the last thing seen: a heading-like
    /// fragment right after it continues the caption.
    private var lastFigure: UnitDraft?
    private var started = false
    private var sawTableOfContents = false
    private var tocs: [(kind: HeadingPattern.TOCKind, entries: [TOCEntry])] = []
    private var footnoteTexts: [(marker: String, text: String, line: Int)] = []
    private var usedIDs: Set<String> = []
    private var namedSectionCount = 0

    init(info: ReportInfo, file: String, matcher: NameMatcher, gazetteer: Gazetteer) {
        self.info = info
        self.file = file
        self.matcher = matcher
        self.gazetteer = gazetteer
    }

    var hasStructure: Bool { drafts.contains { $0.kind == .section || $0.kind == .case } }

    // MARK: - Blocks

    mutating func add(_ block: Block) {
        let previousFigure = lastFigure
        lastFigure = nil
        switch block.content {
        case .tableOfContents(let kind, let entries):
            sawTableOfContents = true
            tocs.append((kind, entries))
        case .heading(let pattern, let level):
            addHeading(pattern, level: level, block: block, previousFigure: previousFigure)
        case .paragraph(let text):
            addParagraph(text, block: block)
        case .figureCaption(let number, let caption):
            addFigure(number: number, caption: caption, block: block)
        case .table(let table):
            addTable(table, block: block)
        case .footnote(let marker, let text):
            footnoteTexts.append((marker, text, block.firstLine))
        }
    }

    private mutating func addHeading(_ pattern: HeadingPattern, level: Int, block: Block, previousFigure: UnitDraft?) {
        switch pattern {
        case .section(let style, let numbers, let title):
            openSection(style: style, numbers: numbers, title: title, block: block)
        case .caseMarker(let number, let title):
            openCaseStudy(number: number, title: title, block: block)
        case .unnumbered(let text):
            if let slug = NamedSection.slug(for: text), !started || openCase == nil {
                openNamedSection(slug: slug, title: text, block: block)
            } else if !started {
                if sawTableOfContents, level >= 2 {
                    openNamedSection(slug: nil, title: text, block: block)
                } else {
                    note(block.firstLine, "front matter before the first section, not indexed: \(text)", "front_matter")
                }
            } else if let figure = previousFigure {
                // `### 暨送课活动` under `图 1-8：…`: the caption went on over a line break.
                figure.title += text
                figure.lines.end = block.lastLine
                note(block.firstLine, "heading-like fragment \"\(text)\" continues the caption of figure \(figure.number)", "caption_continued")
                lastFigure = figure
            } else if let container = currentContainer {
                // A sub-heading without a number (text from inside an image, a
                // bold line): part of the unit it sits in.
                container.paragraphs.append(text)
                container.paragraphLines.append(block.firstLine)
                container.lines.end = block.lastLine
                note(block.firstLine, "unnumbered heading \"\(text)\" kept as text of \(container.id)", "unnumbered_heading")
            }
        case .tableOfContents, .figureCaption, .tableCaption:
            break  // The scanner turns these into their own blocks.
        }
    }

    private mutating func addParagraph(_ text: String, block: Block) {
        guard started else {
            note(block.firstLine, "front matter before the first section, not indexed", "front_matter")
            return
        }
        if let caseDraft = openCase, !caseDraft.paragraphs.isEmpty, resumesSectionProse(text) {
            closeCase()
            note(block.firstLine, "case \(caseDraft.number) ends at line \(caseDraft.lines.end): the paragraph after it is the section's prose", "case_ends_before_prose")
        }
        let container = currentContainer ?? implicitSection(at: block)
        container.paragraphs.append(text)
        container.paragraphLines.append(block.firstLine)
        container.lines.end = max(container.lines.end, block.lastLine)
    }

    private mutating func addFigure(number: String, caption: String, block: Block) {
        guard started else { return }
        let container = currentContainer ?? implicitSection(at: block)
        let figure = newDraft(kind: .figure, number: number, title: caption, block: block, parent: container)
        container.figures.append(figure.id)
        container.lines.end = max(container.lines.end, block.lastLine)
        lastFigure = figure
    }

    private mutating func addTable(_ raw: RawTable, block: Block) {
        guard started else { return }
        let container = currentContainer ?? implicitSection(at: block)
        let number = raw.number ?? "\(container.number).t\(container.tables.count + 1)"
        if raw.number == nil {
            warn(block.firstLine, "table without a caption in \(container.id); numbered \(number)", "table_without_caption")
        }
        let layout = TableLayout.analyze(raw.rows)
        for warning in layout.warnings { warn(warning.line, "表 \(number): \(warning.message)", "table_row_ragged") }
        let table = newDraft(kind: .table, number: number, title: raw.caption ?? "", block: block, parent: container)
        container.tables.append(table.id)
        container.lines.end = max(container.lines.end, block.lastLine)
        let labelled = layout.parts.count > 1 && layout.parts.contains { $0.label != nil }
        var flatHeader = layout.parts.first?.header ?? []
        var flatRows: [[String]] = []
        for part in layout.parts {
            flatRows += part.rows.map { labelled ? [part.label ?? ""] + $0.cells : $0.cells }
        }
        if labelled { flatHeader = ["分组"] + flatHeader }
        table.table = TableData(
            caption: raw.caption ?? "",
            header: flatHeader,
            rows: flatRows,
            parts: layout.parts.count > 1
                ? layout.parts.map { TablePart(label: $0.label, header: $0.header, rows: $0.rows.map(\.cells)) } : nil,
            source: raw.source)
        var tableText = [raw.caption ?? ""]
        tableText.append(flatHeader.joined(separator: "\t"))
        tableText += flatRows.map { $0.joined(separator: "\t") }
        if let source = raw.source { tableText.append(source) }
        table.paragraphs = tableText
        // One unit per logical row, so that a search for 17.76:1 points at the row.
        var index = 0
        for part in layout.parts {
            for row in part.rows {
                index += 1
                let rowDraft = newDraft(kind: .row, number: "\(number).\(index)", title: "", block: block, parent: table)
                rowDraft.lines = LineRange(start: row.lines.lowerBound, end: row.lines.upperBound)
                let cells = zip(part.header + Array(repeating: "", count: max(0, row.cells.count - part.header.count)), row.cells)
                    .map { RowData.Cell(header: $0.0, value: $0.1) }
                // Name the row by its first meaningful cell: a running number
                // (序号) says nothing about the row.
                let label = (cells.first { !$0.value.isEmpty && !Self.numberingHeaders.contains($0.header) }
                    ?? cells.first { !$0.value.isEmpty })?.value ?? ""
                rowDraft.title = [raw.caption ?? "表 \(number)", part.label, label].compactMap { $0 }.filter { !$0.isEmpty }
                    .joined(separator: " · ")
                rowDraft.row = RowData(table: table.id, caption: raw.caption ?? "", index: index, part: part.label, cells: cells)
                rowDraft.paragraphs = [cells.map { "\($0.header)：\($0.value.replacingOccurrences(of: "\n", with: "、"))" }.joined(separator: "；")]
                if let label = part.label { rowDraft.paragraphs.insert(label, at: 0) }
            }
        }
    }

    private static let numberingHeaders: Set<String> = ["序号", "编号", "排名", "名次", "No.", "#"]

    // MARK: - Sections and cases

    private var currentContainer: UnitDraft? { openCase ?? openSections.last }

    private mutating func openSection(style: HeadingPattern.Style, numbers: [Int], title: String, block: Block) {
        let (path, isDecimal) = numbering.path(style: style, numbers: numbers)
        let components = path.indices.map { path[0...$0].map(String.init).joined(separator: ".") }
        let headingText = isDecimal ? "\(components.last!) \(title)" : title
        pushSection(number: components.last!, sectionPath: components, title: title, headingText: headingText, block: block)
    }

    private mutating func openNamedSection(slug: String?, title: String, block: Block) {
        namedSectionCount += 1
        let number = slug ?? "part-\(namedSectionCount)"
        pushSection(number: number, sectionPath: [number], title: title, headingText: title, block: block)
    }

    private mutating func pushSection(number: String, sectionPath: [String], title: String, headingText: String, block: Block) {
        closeCase()
        started = true
        while let last = openSections.last, !sectionPath.dropLast().contains(last.number) { openSections.removeLast() }
        let parent = openSections.last
        let draft = newDraft(kind: .section, number: number, title: title, block: block, parent: parent)
        draft.sectionPath = sectionPath
        draft.headings = openSections.map(\.headingText) + [headingText]
        draft.headingText = headingText
        draft.chapter = openSections.first.map { ChapterRef(number: $0.number, title: $0.title) }
            ?? ChapterRef(number: number, title: title)
        openSections.append(draft)
    }

    private mutating func openCaseStudy(number: String, title: String, block: Block) {
        closeCase()
        started = true
        let parent = openSections.last
        openCase = newDraft(kind: .case, number: number, title: title, block: block, parent: parent)
    }

    private mutating func closeCase() {
        openCase = nil
    }

    /// Cases standing before any section heading live in a section of their own.
    private mutating func implicitSection(at block: Block) -> UnitDraft {
        openNamedSection(slug: "body", title: "", block: block)
        return openSections.last!
    }

    /// A paragraph after a case that speaks about the region's schools as a
    /// whole, or opens with a bold lead-in (`**体育固本，强身健体。**`), is the
    /// section's prose resuming, not more of the case.
    private func resumesSectionProse(_ text: String) -> Bool {
        let trimmed = text.trimmed
        if trimmed.hasPrefix("**") { return true }
        let region = info.region
        let generalSubjects = [region + "中职学校", region + "中等职业学校", region + "职业学校", region + "各", "全市", "各中职学校"]
        return generalSubjects.contains { trimmed.hasPrefix($0) }
    }

    // MARK: - Drafts

    private mutating func newDraft(kind: UnitKind, number: String, title: String, block: Block, parent: UnitDraft?) -> UnitDraft {
        var uniqueNumber = number
        var id = ReportUnit.id(report: info.id, kind: kind, number: number)
        if usedIDs.contains(id) {
            var copy = 2
            while usedIDs.contains(ReportUnit.id(report: info.id, kind: kind, number: "\(number).dup\(copy)")) { copy += 1 }
            uniqueNumber = "\(number).dup\(copy)"
            id = ReportUnit.id(report: info.id, kind: kind, number: uniqueNumber)
            warn(block.firstLine, "duplicate \(kind.rawValue) number \(number); this one is \(id)", "duplicate_id")
        }
        usedIDs.insert(id)
        let draft = UnitDraft(id: id, kind: kind, number: uniqueNumber, title: title, lines: LineRange(start: block.firstLine, end: block.lastLine))
        if let parent {
            draft.parent = parent.id
            draft.chapter = parent.chapter
            draft.sectionPath = parent.sectionPath
            draft.headings = parent.headings
        }
        drafts.append(draft)
        return draft
    }

    private mutating func warn(_ line: Int?, _ message: String, _ code: String) {
        diagnostics.append(Diagnostic(.warning, code, message, file: file, line: line))
    }

    private mutating func note(_ line: Int?, _ message: String, _ code: String) {
        diagnostics.append(Diagnostic(.note, code, message, file: file, line: line))
    }

    // MARK: - Finishing

    mutating func finish() -> ParsedReport {
        attachFootnotes()
        var cross = TOCCrossCheck(tocs: tocs, drafts: drafts, file: file)
        cross.run()
        diagnostics += cross.diagnostics
        let subjects = SubjectSchools(matcher: matcher, gazetteer: gazetteer)
        var names: [String: String] = [:]
        for school in gazetteer.schools where names[school.id] == nil { names[school.id] = school.name }
        let named = { (ids: [String]) in ids.map { SchoolRef(id: $0, name: names[$0] ?? $0) } }
        var units: [ReportUnit] = []
        var aboutByID: [String: [String]] = [:]
        for draft in drafts {
            let text = draft.paragraphs.map(Markup.plainText).filter { !$0.isEmpty }.joined(separator: "\n")
            let title = Markup.plainText(draft.title)
            let mode: SubjectSchools.Mode = (draft.kind == .case || draft.kind == .section) ? .subject : .all
            let inherited = draft.kind == .figure ? (draft.parent.flatMap { aboutByID[$0] } ?? []) : []
            let schools = subjects.analyze(title: title, text: draft.kind == .figure ? "" : text, mode: mode, inherited: inherited)
            aboutByID[draft.id] = schools.about
            var yearText = title + "\n" + text
            if let table = draft.table { yearText += "\n" + table.rows.flatMap { $0 }.joined(separator: "\n") }
            units.append(ReportUnit(
                id: draft.id, kind: draft.kind, number: draft.number, report: info.id, year: info.year,
                title: title, tocTitle: draft.tocTitle, text: text, chapter: draft.chapter,
                sectionPath: draft.sectionPath, headings: draft.headings, parent: draft.parent,
                lines: draft.lines, years: YearMentions.extract(from: yearText, reportYear: info.year),
                schools: named(schools.about), mentionedSchools: named(schools.mentioned), districts: schools.districts,
                figures: draft.figures, tables: draft.tables, footnotes: draft.footnotes,
                table: draft.table, row: draft.row))
        }
        return ParsedReport(info: info, file: file, units: units, diagnostics: diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
    }

    /// Attaches each footnote's text to the unit whose text cites it: the
    /// first footnote with that marker printed at or after the citation (the
    /// bottom of its page), else the closest one before it.
    private mutating func attachFootnotes() {
        var used = Set<Int>()
        for draft in drafts {
            for (paragraph, line) in zip(draft.paragraphs, draft.paragraphLines) {
                for marker in Markup.footnoteReferences(in: paragraph) {
                    let candidates = footnoteTexts.enumerated().filter { $0.element.marker == marker && !used.contains($0.offset) }
                    guard let chosen = candidates.first(where: { $0.element.line >= line }) ?? candidates.last else {
                        warn(line, "footnote \(marker) is cited in \(draft.id) but its text was not found", "footnote_missing")
                        continue
                    }
                    used.insert(chosen.offset)
                    draft.footnotes.append(Footnote(marker: marker, text: chosen.element.text, line: chosen.element.line))
                }
            }
        }
        for (offset, footnote) in footnoteTexts.enumerated() where !used.contains(offset) {
            warn(footnote.line, "footnote \(footnote.marker) is never cited; its text is not attached to any unit", "footnote_unreferenced")
        }
    }
}

/// A unit while the parser is still filling it in. A class because the open
/// section, the open case and the figure list all refer to the same draft.
final class UnitDraft {
    let id: String
    let kind: UnitKind
    let number: String
    var title: String
    var tocTitle: String?
    var headingText = ""
    var lines: LineRange
    var chapter: ChapterRef?
    var sectionPath: [String] = []
    var headings: [String] = []
    var parent: String?
    /// Raw paragraphs (with markup) and the line each starts on.
    var paragraphs: [String] = []
    var paragraphLines: [Int] = []
    var figures: [String] = []
    var tables: [String] = []
    var footnotes: [Footnote] = []
    var table: TableData?
    var row: RowData?

    init(id: String, kind: UnitKind, number: String, title: String, lines: LineRange) {
        self.id = id
        self.kind = kind
        self.number = number
        self.title = title
        self.lines = lines
    }
}

/// Turns heading numbers into a section path.
///
/// Decimal numbers (`1.1.3`) are the path. Other styles (`一、`, `（一）`,
/// `1.`) nest in the order a report first uses them: a style seen before
/// closes everything below it. `1.` is read as decimal in a decimal report
/// and as the third level under `一、`/`（一）` in a Chinese-numeral one.
struct SectionNumbering {
    private var stack: [(style: HeadingPattern.Style, number: Int)] = []

    mutating func path(style: HeadingPattern.Style, numbers: [Int]) -> (path: [Int], isDecimal: Bool) {
        var style = style
        if style == .arabicWithDot, stack.isEmpty { style = .decimal }
        if style == .decimal, numbers.count == 1, !stack.isEmpty { style = .arabicWithDot }
        if style == .decimal {
            stack = []
            return (numbers, true)
        }
        if let index = stack.firstIndex(where: { $0.style == style }) { stack.removeSubrange(index...) }
        stack.append((style, numbers[0]))
        return (stack.map(\.number), false)
    }
}

/// Unnumbered headings every report of this genre uses, and their stable ids.
enum NamedSection {
    static func slug(for title: String) -> String? {
        switch title.filter({ !$0.isWhitespace }) {
        case "前言", "序言", "引言", "导言": return "preface"
        case "基本情况", "概况", "总体情况", "基本概况", "总体概况", "学校概况": return "overview"
        case "结语", "结束语", "后记": return "afterword"
        case "附录", "附件": return "appendix"
        default: return nil
        }
    }
}
