import Foundation

/// A PDF's text in the shape the report parser reads, with the pages every
/// line came from.
public struct ExtractedText: Sendable {
    public var text: String
    /// For line k of `text` (index k - 1): the physical pages (1-based) its
    /// words came from; nil for the blank lines between blocks.
    public var linePages: [ClosedRange<Int>?]
    /// For physical page p (index p - 1): the page number printed on it, if
    /// the page prints one.
    public var printedPages: [String?]
    public var pageCount: Int
    /// Problems poppler reported and repaired while reading (a damaged file).
    public var repairedProblems: Int
    public var lastProblem: String

    /// Reads the PDF at `path`. Throws `PDFProblem` for a file that is not
    /// a PDF, is damaged beyond repair, encrypted, has no pages, or has no
    /// text layer (scanned).
    ///
    /// `isHeading` says whether a line reads as a heading or caption to the
    /// parser that will read the text: such a line becomes a block of its
    /// own even when it is set like body text.
    public static func extract(path: String, isHeading: @escaping @Sendable (String) -> Bool = { _ in false }) throws -> ExtractedText {
        try extract(PDFDocument(path: path), isHeading: isHeading)
    }

    /// Reads a PDF from its bytes.
    public static func extract(data: Data, isHeading: @escaping @Sendable (String) -> Bool = { _ in false }) throws -> ExtractedText {
        try extract(PDFDocument(data: data), isHeading: isHeading)
    }

    static func extract(_ document: PDFDocument, isHeading: @escaping @Sendable (String) -> Bool) throws -> ExtractedText {
        let count = document.pageCount
        guard count > 0 else {
            throw PDFProblem(code: .noPages, message: "it is a PDF without pages")
        }
        let (pages, problems, lastProblem) = try readPages(document, count: count)
        let wordCount = pages.reduce(0) { $0 + $1.page.words.count }
        guard wordCount > 0 else {
            throw PDFProblem(code: .noText, message: "none of its \(count) page(s) has a text layer (a scanned document?); it needs OCR first, for example ocrmypdf -l chi_sim, and then the OCR'd PDF can be indexed")
        }
        var extracted = rebuild(pages, isHeading: isHeading)
        extracted.repairedProblems = problems
        extracted.lastProblem = lastProblem
        return extracted
    }

    /// Every page's words and lines. poppler spends most of the time here
    /// (parsing content streams: about 20 ms a page of Chromium's PDFs on
    /// this machine), so a long document is read in parts side by side,
    /// one handle on the same bytes per part.
    ///
    /// Also returns how many problems poppler repaired on the way, and the
    /// last of them (each handle counts its own).
    static func readPages(_ document: PDFDocument, count: Int) throws -> (pages: [(page: PDFPage, lines: [TextLine])], problems: Int, last: String) {
        let parts = count >= 8 ? min(ProcessInfo.processInfo.activeProcessorCount, 4, count / 4) : 1
        let read = { @Sendable (handle: PDFDocument, range: Range<Int>) throws -> [(page: PDFPage, lines: [TextLine])] in
            try range.map { index in
                let page = try handle.page(index)
                return (page, TextLine.lines(of: page))
            }
        }
        guard parts > 1 else { return (try read(document, 0..<count), document.problemCount, document.lastProblem) }
        let size = (count + parts - 1) / parts
        let results = PartResults(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (part * size)..<min(count, (part + 1) * size)
            results.set(part, Result {
                let handle = part == 0 ? document : try document.reopened()
                return (try read(handle, range), handle.problemCount, handle.lastProblem)
            })
        }
        let done = try results.all().map { try $0.get() }
        return (done.flatMap(\.pages), done.map(\.problems).reduce(0, +), done.last { !$0.last.isEmpty }?.last ?? "")
    }

    /// What the parts of `readPages` found, each written by its own thread.
    private final class PartResults: @unchecked Sendable {
        typealias Part = Result<(pages: [(page: PDFPage, lines: [TextLine])], problems: Int, last: String), any Error>
        private var results: [Part?]
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ part: Int, _ result: Part) { lock.withLock { results[part] = result } }
        func all() -> [Part] { lock.withLock { results.map { $0! } } }
    }

    static func rebuild(_ pages: [(page: PDFPage, lines: [TextLine])], isHeading: @escaping @Sendable (String) -> Bool = { _ in false }) -> ExtractedText {
        let running = RunningMatter(pages: pages)
        var body: [TextLine] = []
        var printed: [String?] = []
        for (page, lines) in pages {
            let stripped = running.strip(lines, page: page)
            body += stripped.body
            printed.append(page.label ?? stripped.printedNumber)
        }
        let measures = LayoutMeasures(lines: body)
        let rebuilder = TextRebuilder(measures: measures, isHeading: isHeading)
        var out: [String] = []
        var linePages: [ClosedRange<Int>?] = []
        func emit(_ text: String, _ lines: [TextLine]) {
            if !out.isEmpty {
                out.append("")
                linePages.append(nil)
            }
            out.append(text)
            linePages.append(lines.first!.page...lines.last!.page)
        }
        for piece in rebuilder.pieces(of: body) {
            switch piece {
            case .heading(let level, let lines):
                let text = rebuilder.join(lines.map { rebuilder.render($0.words, lineSize: $0.size) })
                emit(String(repeating: "#", count: level) + " " + text, lines)
            case .paragraph(let lines):
                var text = rebuilder.join(lines.map { rebuilder.render($0.words, lineSize: $0.size) })
                if lines[0].size < measures.bodySize * 0.93 {
                    text = footnoteDefinition(text)
                } else {
                    text = TextRebuilder.markRunInHead(text)
                }
                emit(text, lines)
            case .table(let lines):
                let rows = rebuilder.tableRows(lines)
                emit(rows[0].text, rows[0].lines)
                for row in rows.dropFirst() {
                    out.append(row.text)
                    linePages.append(row.lines.first!.page...row.lines.last!.page)
                }
            }
        }
        return ExtractedText(text: out.joined(separator: "\n") + "\n", linePages: linePages, printedPages: printed,
                             pageCount: pages.count, repairedProblems: 0, lastProblem: "")
    }

    /// A small-print paragraph that starts with a footnote marker (`①…`,
    /// `<sup>①</sup>…`) is the footnote's text: written the way the parser
    /// reads footnotes, `<sup>①</sup> text`.
    static func footnoteDefinition(_ text: String) -> String {
        if text.hasPrefix("<sup>") { return text.replacingOccurrences(of: "</sup>", with: "</sup> ", options: [], range: text.range(of: "</sup>")) }
        guard let first = text.unicodeScalars.first, (0x2460...0x2473).contains(first.value) || (0x2776...0x277F).contains(first.value) else { return text }
        let marker = String(first)
        return "<sup>\(marker)</sup> " + String(text.unicodeScalars.dropFirst()).trimmingSpaces()
    }
}
