import Foundation

/// Cuts a report's lines into `Block`s: headings, paragraphs, captions,
/// tables (tab-separated or markdown pipe tables), footnote texts and the
/// table-of-contents blocks.
///
/// Tables survive page breaks: blank lines followed by more rows continue the
/// table, as does a `续表` caption.
struct BlockScanner {
    let lines: [String]

    init(text: String) {
        var lines = text.components(separatedBy: "\n")
        for index in lines.indices where lines[index].hasSuffix("\r") { lines[index].removeLast() }
        self.lines = lines
    }

    func scan() -> [Block] {
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let lineNumber = index + 1
            if line.trimmed.isEmpty || Self.isImage(line) {
                index += 1
                continue
            }
            if let (level, text) = Self.markdownHeading(line) {
                let pattern = HeadingPattern.classify(text, isMarkdownHeading: true) ?? .unnumbered(text)
                if case .tableOfContents(let kind) = pattern {
                    let (entries, next) = scanTableOfContents(from: index + 1)
                    blocks.append(Block(content: .tableOfContents(kind, entries: entries), firstLine: lineNumber, lastLine: next))
                    index = next
                    continue
                }
                if case .tableCaption(let number, let caption) = pattern {
                    let (table, next) = scanTable(from: index + 1, number: number, caption: caption, captionLine: lineNumber)
                    blocks.append(Block(content: .table(table), firstLine: lineNumber, lastLine: max(lineNumber, next)))
                    index = next
                    continue
                }
                if case .figureCaption(let number, let caption) = pattern {
                    blocks.append(Block(content: .figureCaption(number: number, caption: caption), firstLine: lineNumber, lastLine: lineNumber))
                } else {
                    blocks.append(Block(content: .heading(pattern, level: level), firstLine: lineNumber, lastLine: lineNumber))
                }
                index += 1
                continue
            }
            if let (marker, text) = Self.footnoteDefinition(line) {
                blocks.append(Block(content: .footnote(marker: marker, text: text), firstLine: lineNumber, lastLine: lineNumber))
                index += 1
                continue
            }
            if Self.isTableRow(line) {
                let (table, next) = scanTable(from: index, number: nil, caption: nil, captionLine: nil)
                // A caption printed under its table.
                if let (captionIndex, caption) = nextNonBlank(from: next), let parsed = Caption.parse(Markup.plainText(caption)),
                   parsed.kind == .table, !isTableRowAhead(from: captionIndex + 1) {
                    var captioned = table
                    captioned.number = parsed.number
                    captioned.caption = parsed.text
                    captioned.captionLine = captionIndex + 1
                    blocks.append(Block(content: .table(captioned), firstLine: lineNumber, lastLine: captionIndex + 1))
                    index = captionIndex + 1
                } else {
                    blocks.append(Block(content: .table(table), firstLine: lineNumber, lastLine: next))
                    index = next
                }
                continue
            }
            let text = line.trimmed
            if let caption = Caption.parse(Markup.plainText(text)) {
                if caption.kind == .figure {
                    blocks.append(Block(content: .figureCaption(number: caption.number, caption: caption.text), firstLine: lineNumber, lastLine: lineNumber))
                    index += 1
                } else if caption.isContinuation, let last = blocks.last, case .table(var table) = last.content, table.number == caption.number {
                    // 续表: the rows after it belong to the table before it.
                    let (more, next) = scanTable(from: index + 1, number: caption.number, caption: nil, captionLine: nil)
                    table.rows += more.rows.dropFirst(Self.repeatsHeader(table, more) ? 1 : 0)
                    table.source = more.source ?? table.source
                    blocks[blocks.count - 1] = Block(content: .table(table), firstLine: last.firstLine, lastLine: next)
                    index = next
                } else {
                    let (table, next) = scanTable(from: index + 1, number: caption.number, caption: caption.text, captionLine: lineNumber)
                    blocks.append(Block(content: .table(table), firstLine: lineNumber, lastLine: max(lineNumber, next)))
                    index = next
                }
                continue
            }
            if let pattern = HeadingPattern.classify(text, isMarkdownHeading: false) {
                blocks.append(Block(content: .heading(pattern, level: 0), firstLine: lineNumber, lastLine: lineNumber))
                index += 1
                continue
            }
            // Prose: consecutive non-blank lines form one paragraph.
            var paragraph = text
            var last = index
            while last + 1 < lines.count, !lines[last + 1].trimmed.isEmpty, Self.isProseContinuation(lines[last + 1]) {
                last += 1
                paragraph += lines[last].trimmed
            }
            blocks.append(Block(content: .paragraph(paragraph), firstLine: lineNumber, lastLine: last + 1))
            index = last + 1
        }
        return blocks
    }

    // MARK: - Tables

    /// Reads rows from `start` on. Returns the table and the index of the first
    /// line after it (and after its source note).
    private func scanTable(from start: Int, number: String?, caption: String?, captionLine: Int?) -> (RawTable, Int) {
        var table = RawTable(number: number, caption: caption, captionLine: captionLine, rows: [], source: nil)
        var index = start
        var end = start
        while index < lines.count {
            let line = lines[index]
            if line.trimmed.isEmpty || Self.isImage(line) {
                index += 1
                continue
            }
            if Self.isTableRow(line) {
                if !Self.isPipeSeparator(line) {
                    table.rows.append(RawTable.Row(cells: Self.cells(of: line), line: index + 1))
                }
                index += 1
                end = index
                continue
            }
            if let note = Self.sourceNote(line), !table.rows.isEmpty {
                table.source = note
                end = index + 1
            }
            break
        }
        return (table, end)
    }

    private static func repeatsHeader(_ table: RawTable, _ more: RawTable) -> Bool {
        guard let header = table.rows.first?.cells, let first = more.rows.first?.cells else { return false }
        return header == first
    }

    private func nextNonBlank(from start: Int) -> (Int, String)? {
        var index = start
        while index < lines.count {
            if !lines[index].trimmed.isEmpty { return (index, lines[index].trimmed) }
            index += 1
        }
        return nil
    }

    private func isTableRowAhead(from start: Int) -> Bool {
        guard let (index, _) = nextNonBlank(from: start) else { return false }
        return Self.isTableRow(lines[index])
    }

    static func isTableRow(_ line: String) -> Bool {
        if line.contains("\t") { return !line.trimmed.isEmpty }
        let trimmed = line.trimmed
        return trimmed.hasPrefix("|") && trimmed.dropFirst().contains("|")
    }

    private static func isPipeSeparator(_ line: String) -> Bool {
        let trimmed = line.trimmed
        guard trimmed.hasPrefix("|") else { return false }
        return trimmed.allSatisfy { "|-: ".contains($0) } && trimmed.contains("-")
    }

    static func cells(of line: String) -> [String] {
        var raw: [Substring]
        let trimmed = line.trimmed
        if !line.contains("\t"), trimmed.hasPrefix("|") {
            var inner = Substring(trimmed).dropFirst()
            if inner.hasSuffix("|") { inner = inner.dropLast() }
            raw = inner.split(separator: "|", omittingEmptySubsequences: false)
        } else {
            raw = line.split(separator: "\t", omittingEmptySubsequences: false)
        }
        var cells = raw.map { Markup.plainText(String($0)) }
        while cells.count > 1, cells.last?.isEmpty == true { cells.removeLast() }
        return cells
    }

    private static func sourceNote(_ line: String) -> String? {
        let text = Markup.plainText(line)
        for prefix in ["数据来源", "资料来源", "来源：", "来源:", "注：", "注:", "说明："] where text.hasPrefix(prefix) {
            return text
        }
        return nil
    }

    // MARK: - Table of contents

    private func scanTableOfContents(from start: Int) -> ([TOCEntry], Int) {
        var entries: [TOCEntry] = []
        var index = start
        while index < lines.count {
            let line = lines[index]
            if Self.markdownHeading(line) != nil { break }
            let text = Self.stripLeaders(line)
            if !text.isEmpty { entries.append(Self.tocEntry(text, line: index + 1)) }
            index += 1
        }
        return (entries, index)
    }

    /// `案例 1-1\t建三全… .....\t3` -> `案例 1-1 建三全…`.
    private static let leaderExpression = try! NSRegularExpression(pattern: #"\s*(?:[.．…·•]{2,}|\t)\s*[0-9IVXivx]*\s*$"#)

    private static func stripLeaders(_ line: String) -> String {
        var text = line
        while let match = leaderExpression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text), !range.isEmpty {
            text.removeSubrange(range)
        }
        return Markup.plainText(text.replacingOccurrences(of: "\t", with: " "))
    }

    private static func tocEntry(_ text: String, line: Int) -> TOCEntry {
        switch HeadingPattern.classify(text, isMarkdownHeading: false) {
        case .caseMarker(let number, let title)?: return TOCEntry(kind: .caseStudy(number: number), title: title, line: line)
        case .figureCaption(let number, let caption)?: return TOCEntry(kind: .figure(number: number), title: caption, line: line)
        case .tableCaption(let number, let caption)?: return TOCEntry(kind: .table(number: number), title: caption, line: line)
        case .section(let style, let numbers, let title)?: return TOCEntry(kind: .section(style: style, numbers: numbers), title: title, line: line)
        default: return TOCEntry(kind: .section(style: nil, numbers: []), title: text, line: line)
        }
    }

    // MARK: - Lines

    static func markdownHeading(_ line: String) -> (Int, String)? {
        var level = 0
        var rest = Substring(line)
        while rest.first == "#" {
            level += 1
            rest = rest.dropFirst()
        }
        guard (1...6).contains(level), rest.first == " " || rest.first == "\t" else { return nil }
        let text = rest.trimmed
        return text.isEmpty ? nil : (level, text)
    }

    /// `<sup>①</sup> text` (also `[^1]: text`).
    static func footnoteDefinition(_ line: String) -> (String, String)? {
        let trimmed = line.trimmed
        if trimmed.hasPrefix("<sup>"), let close = trimmed.range(of: "</sup>") {
            let marker = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 5)..<close.lowerBound].trimmed
            guard FootnoteMarker.isMarker(marker) else { return nil }
            let text = Markup.plainText(String(trimmed[close.upperBound...]))
            return text.isEmpty ? nil : (marker, text)
        }
        if trimmed.hasPrefix("[^"), let close = trimmed.range(of: "]:") {
            let marker = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close.lowerBound])
            return (marker, Markup.plainText(String(trimmed[close.upperBound...])))
        }
        return nil
    }

    static func isImage(_ line: String) -> Bool {
        let trimmed = line.trimmed
        return trimmed.hasPrefix("![") && trimmed.hasSuffix(")")
    }

    private static func isProseContinuation(_ line: String) -> Bool {
        markdownHeading(line) == nil && footnoteDefinition(line) == nil && !isTableRow(line)
            && Caption.parse(Markup.plainText(line.trimmed)) == nil && !isImage(line)
    }
}
