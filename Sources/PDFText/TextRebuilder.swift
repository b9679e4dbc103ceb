import Foundation

/// Turns the body lines of a PDF back into the text the report parser reads:
/// one line per paragraph, `#` headings for lines set larger than the body,
/// tab-separated table rows, `<sup>` footnotes, blank lines between blocks
/// — the same shape as a report converted to text by hand, so both go
/// through one parser.
///
/// What PDF extraction adds is undone here: lines broken inside sentences
/// (joined, with a space only between two Latin words), paragraphs cut by a
/// page break (continued when the next page's first line is not indented
/// and the last line before the break ran to the right edge), table cells
/// that arrive as words with wide gaps between them (cut at those gaps and
/// put in the columns the table's cells line up on).
struct TextRebuilder {
    let measures: LayoutMeasures
    /// Whether a line reads as a heading or caption of the report's parser
    /// (`1.1 育人成效`, `【案例3】…`, `表 1-2：…`): such a line is a block of
    /// its own even when set in the body's size and spacing, as many reports
    /// set their headings (bold, which the words do not tell).
    var isHeading: @Sendable (String) -> Bool = { _ in false }

    /// A block of lines that becomes one or more lines of text.
    enum Piece {
        case heading(level: Int, lines: [TextLine])
        case paragraph([TextLine])
        case table([TextLine])
    }

    /// Table cells are further apart than words: wider than this gap.
    var cellGap: Double { measures.em * 0.7 }

    func pieces(of lines: [TextLine]) -> [Piece] {
        var pieces: [Piece] = []
        var previous: TextLine?
        // Whether the line before stood alone (asked once per line: it runs
        // the parser's heading patterns).
        var previousStoodAlone = false
        for line in lines {
            defer { previous = line }
            let stoodAlone = previousStoodAlone
            previousStoodAlone = false
            let size = line.size
            if let level = measures.headingLevel(size), !isTableRow(line) {
                if case .heading(let open, var held)? = pieces.last, open == level, let before = previous,
                   before.page == line.page, line.y0 - before.y1 < (before.y1 - before.y0) * 0.8 {
                    held.append(line)
                    pieces[pieces.count - 1] = .heading(level: level, lines: held)
                } else {
                    pieces.append(.heading(level: level, lines: [line]))
                }
                continue
            }
            if case .table(var rows)? = pieces.last, let last = rows.last, continuesTable(rows, with: line, after: last) {
                rows.append(line)
                pieces[pieces.count - 1] = .table(rows)
                continue
            }
            if isTableRow(line) {
                pieces.append(.table([line]))
                continue
            }
            if standsAlone(line) {
                previousStoodAlone = true
                pieces.append(.paragraph([line]))
                continue
            }
            if case .paragraph(var held)? = pieces.last, let last = held.last, !stoodAlone, continues(last, with: line) {
                held.append(line)
                pieces[pieces.count - 1] = .paragraph(held)
                continue
            }
            pieces.append(.paragraph([line]))
        }
        return pieces
    }

    // MARK: - Paragraphs

    /// A line shaped like a heading: it reads as one, stops short of the
    /// right edge and does not end a sentence (a wrapped line of prose that
    /// happens to start `1.2 倍…` runs on or ends with `。`).
    private func standsAlone(_ line: TextLine) -> Bool {
        let text = line.text
        guard line.x1 < measures.rightEdge - measures.em * 2, let last = text.last, !"。；，、：:;,".contains(last) else { return false }
        return isHeading(text)
    }

    private func continues(_ last: TextLine, with line: TextLine) -> Bool {
        // A contents entry (`1.1 育人成效 ........ 3`) is a line of its own,
        // although its leader dots run to the right edge.
        if Self.endsWithLeader(last.text) { return false }
        let size = line.size
        guard abs(size - last.size) <= measures.bodySize * 0.06 else { return false }
        let scale = size / measures.bodySize
        // A line that starts further in opens a paragraph (first-line indent,
        // a centred caption).
        if line.x0 > measures.leftMargin + measures.em * scale * 1.2 && line.x0 > last.x0 + measures.em * 0.5 { return false }
        // A line that stopped short of the right edge ended its paragraph.
        if last.x1 < measures.rightEdge - measures.em * scale * 1.5 { return false }
        if line.page != last.page { return true }
        // More space than between two lines of a paragraph: a new block.
        return line.y0 - last.y0 <= measures.pitch * scale * 1.2
    }

    /// Three or more leader dots and a page number at the end of a line.
    static func endsWithLeader(_ text: String) -> Bool {
        var characters = text.reversed().drop { $0.isWhitespace }
        let number = characters.prefix { $0.isNumber || "ivxlcIVXLC".contains($0) }
        guard !number.isEmpty else { return false }
        characters = characters.dropFirst(number.count).drop { $0.isWhitespace }
        return characters.prefix { ".…·．•-_".contains($0) }.count >= 3
    }

    // MARK: - Tables

    private func isTableRow(_ line: TextLine) -> Bool {
        line.gaps.contains { $0 > cellGap }
    }

    /// A line belongs to the table above when it has cells too, or when its
    /// one cell starts where a column of the table starts (a row whose other
    /// cells are empty, a cell that wrapped), and it is not far below.
    private func continuesTable(_ rows: [TextLine], with line: TextLine, after last: TextLine) -> Bool {
        let near = line.page != last.page || line.y0 - last.y1 < measures.pitch * 2
        guard near else { return false }
        if isTableRow(line) { return true }
        let starts = columnStarts(rows)
        let aligned = starts.contains { abs($0 - line.x0) < measures.em * 0.5 }
        let narrow = line.x1 - line.x0 < (measures.rightEdge - measures.leftMargin) * 0.6
        guard aligned && narrow else { return false }
        if line.x0 > measures.leftMargin + measures.em * 0.5 { return true }
        // At the left margin it could be a short paragraph after the table;
        // it is the first column's cell wrapping only when closer to the
        // line above than any two rows are.
        let steps = zip(rows, rows.dropFirst()).filter { $0.page == $1.page }.map { $1.y0 - $0.y0 }
        guard let closest = steps.min(), line.page == last.page else { return false }
        return line.y0 - last.y0 <= closest * 1.05
    }

    /// Where the table's columns start: the left edges of its cells,
    /// clustered.
    func columnStarts(_ rows: [TextLine]) -> [Double] {
        let edges = rows.flatMap { segments(of: $0).map(\.x0) }.sorted()
        var starts: [Double] = []
        for edge in edges where starts.last.map({ edge - $0 > measures.em * 0.8 }) ?? true {
            starts.append(edge)
        }
        return starts
    }

    struct Segment {
        var x0: Double
        var words: [PDFWord]
    }

    func segments(of line: TextLine) -> [Segment] {
        var segments: [Segment] = []
        for word in line.words {
            if let last = segments.last?.words.last, word.x0 - last.x1 <= cellGap {
                segments[segments.count - 1].words.append(word)
            } else {
                segments.append(Segment(x0: word.x0, words: [word]))
            }
        }
        return segments
    }

    /// The rows of a table piece as tab-separated lines. A printed line is
    /// a cell wrapping, and its words join the row above, when every cell
    /// of it continues a cell of the line above that ran to its column's
    /// right end, and it stands closer to that line than rows stand to each
    /// other (rows have padding and rules between them). The first alone
    /// would join a row of a merged cell (`\t\t\t商务英语`) after a long
    /// cell; the second alone fails where rows are set as tightly as lines,
    /// or where a bold header's font gives its words taller boxes.
    func tableRows(_ rows: [TextLine]) -> [(text: String, lines: [TextLine])] {
        let starts = columnStarts(rows)
        func column(_ segment: Segment) -> Int { starts.lastIndex { $0 <= segment.x0 + measures.em * 0.4 } ?? 0 }
        // Where each column's text can run to: the next column's start, and
        // for the last column the furthest any of its cells runs.
        var ends = starts.dropFirst().map { $0 }
        ends.append(rows.flatMap { segments(of: $0).filter { column($0) == starts.count - 1 }.map { $0.words.last!.x1 } }.max() ?? measures.rightEdge)
        // How far apart rows stand: the usual step to a line with a cell in
        // the first column (a row's start, unless that column wraps).
        var rowSteps: [Double] = []
        for (upper, lower) in zip(rows, rows.dropFirst()) where upper.page == lower.page {
            if let first = segments(of: lower).first, column(first) == 0 { rowSteps.append(lower.y0 - upper.y0) }
        }
        rowSteps.sort()
        let rowStep = rowSteps.isEmpty ? Double.infinity : rowSteps[rowSteps.count / 2]
        var out: [(cells: [[String]], lines: [TextLine])] = []
        var above: [Int: Double] = [:]  // column -> right end of the line above's cell
        for row in rows {
            var cells = [[String]](repeating: [], count: max(starts.count, 1))
            var reach: [Int: Double] = [:]
            for segment in segments(of: row) {
                let index = column(segment)
                cells[index].append(render(segment.words, lineSize: row.size))
                reach[index] = max(reach[index] ?? 0, segment.words.last!.x1)
            }
            let previous = out.last?.lines.last
            // A cell wraps when its next character does not fit: its text
            // ends up to a character and the cell's padding short of the end.
            let wraps = previous.map { $0.page == row.page && row.y0 - $0.y0 < rowStep - measures.em * 0.25 } == true
                && !reach.isEmpty
                && reach.keys.allSatisfy { index in above[index].map { $0 >= ends[index] - measures.em * 2 } ?? false }
            if wraps {
                for index in cells.indices { out[out.count - 1].cells[index] += cells[index] }
                out[out.count - 1].lines.append(row)
            } else {
                out.append((cells, [row]))
            }
            above = reach
        }
        return out.map { row in
            (row.cells.map { join($0) }.joined(separator: "\t"), row.lines)
        }
    }

    // MARK: - Text

    /// The words of one line as text: a space where poppler saw one or the
    /// gap is wide, superscripts (smaller and raised) as `<sup>…</sup>`.
    func render(_ words: [PDFWord], lineSize: Double) -> String {
        var text = ""
        var previous: PDFWord?
        let main = words.max { $0.height < $1.height }
        for word in words {
            if let before = previous {
                let gap = word.x0 - before.x1
                if before.spaceAfter || gap > measures.em * 0.2 { text += " " }
            }
            // Smaller than the line, or than the word it follows (a marker
            // after bold words, whose font may give taller boxes than the
            // line's regular text).
            let reference = max(lineSize, previous?.size ?? 0)
            let small = word.size < reference * 0.8 && main.map { word.height < $0.height * 0.85 } == true
            // Smaller, and a footnote marker, raised, or a digit glued to
            // the Latin word it raises (m², 10⁶).
            if small, let main, Self.isFootnoteMarker(word.text) || word.centerY < main.centerY - main.height * 0.1
                || (word.text.allSatisfy(\.isNumber) && previous.map { Self.isLatinWordCharacter($0.text.last ?? " ") && word.x0 - $0.x1 < measures.em * 0.5 } == true) {
                text += "<sup>\(word.text)</sup>"
            } else {
                text += word.text
            }
            previous = word
        }
        return text
    }

    /// Circled numbers (①…⑳, ❶…❿): footnote markers, set small.
    static func isFootnoteMarker(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x2460...0x2473).contains($0.value) || (0x2776...0x277F).contains($0.value) }
    }

    /// A paragraph that opens with a run-in head of two short clauses
    /// (`体育固本，强身健体。…`, the way these reports set a bold lead-in)
    /// gets it marked bold as a text report marks it, `**…**`: the parser
    /// reads a bold lead-in after a case as the section's prose resuming.
    /// A PDF's bold is a font the extracted words do not name, so the
    /// shape of the phrase stands in for it.
    static func markRunInHead(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = runInHead.firstMatch(in: text, range: range), let head = Range(match.range, in: text),
              head.upperBound < text.endIndex else { return text }
        return "**" + text[head] + "**" + text[head.upperBound...]
    }

    private static let runInHead = try! NSRegularExpression(pattern: #"^[^，。；：！？\s“”]{2,8}，[^，。；：！？\s]{2,10}。"#)

    /// Lines of one paragraph joined: directly between CJK characters (a
    /// wrap is not a space in Chinese), with a space between Latin words.
    func join(_ lines: [String]) -> String {
        var text = ""
        for line in lines {
            let next = line.trimmingSpaces()
            if let last = text.last, let first = next.first, Self.isLatinWordCharacter(last), Self.isLatinWordCharacter(first) {
                text += " "
            }
            text += next
        }
        return text
    }

    static func isLatinWordCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
