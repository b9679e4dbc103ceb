import Foundation
import PDFText

/// A report published as PDF: its text as poppler gives it, rebuilt into the
/// shape the parser reads (`PDFText`), parsed like a text report, and then
/// every unit given the pages its lines came from.
enum PDFReport {
    static func isPDF(_ file: String) -> Bool { file.lowercased().hasSuffix(".pdf") }

    static func parse(_ data: Data, info: ReportInfo, file: String, parser: ReportParser) throws -> ParsedReport {
        let extracted: ExtractedText
        do {
            extracted = try ExtractedText.extract(data: data) { line in
                switch HeadingPattern.classify(line, isMarkdownHeading: false) {
                case .section?, .caseMarker?, .figureCaption?, .tableCaption?: return true
                default: return Caption.parse(line) != nil
                }
            }
        } catch let problem as PDFProblem {
            throw ReportError(ReportError.Code(rawValue: problem.code.rawValue), "report '\(info.id)': \(problem.message)", file: file)
        }
        var parsed: ParsedReport
        do {
            parsed = try parser.parse(text: extracted.text, info: info, file: file)
        } catch var error as ReportError {
            // A line of the rebuilt text means nothing to the reader of a PDF.
            error.line = nil
            throw error
        }
        let pages = PageLookup(extracted)
        for index in parsed.units.indices {
            parsed.units[index].pages = pages.span(parsed.units[index].lines)
        }
        parsed.diagnostics = parsed.diagnostics.map { diagnostic in
            var located = diagnostic
            located.message = pages.replacingLineMentions(in: diagnostic.message)
            if let line = diagnostic.line {
                located.line = nil
                if let page = pages.page(ofLine: line) { located.message = "page \(page): " + located.message }
            }
            return located
        }
        if extracted.repairedProblems > 0 {
            parsed.diagnostics.append(Diagnostic(
                .warning, "pdf_repaired",
                "poppler found \(extracted.repairedProblems) problem(s) in the file and read around them (last: \(extracted.lastProblem)); some text may be missing: compare with the PDF or download it again",
                file: file, line: nil))
        }
        return parsed
    }
}

/// Lines of the rebuilt text -> pages of the PDF.
struct PageLookup {
    let linePages: [ClosedRange<Int>?]
    let printed: [String?]

    init(_ extracted: ExtractedText) {
        self.init(linePages: extracted.linePages, printed: extracted.printedPages)
    }

    init(linePages: [ClosedRange<Int>?], printed: [String?]) {
        self.linePages = linePages
        self.printed = printed
    }

    /// The physical page of a line, or of the nearest line after it that
    /// has one (a blank line between blocks has none).
    func page(ofLine line: Int) -> Int? {
        guard line >= 1, line - 1 < linePages.count else { return nil }
        for index in (line - 1)..<linePages.count { if let pages = linePages[index] { return pages.lowerBound } }
        return nil
    }

    /// `… body (line 526) …` -> `… body (page 31) …`.
    func replacingLineMentions(in message: String) -> String {
        var out = message
        let pattern = try! NSRegularExpression(pattern: #"\(line ([0-9]+)\)"#)
        for match in pattern.matches(in: message, range: NSRange(message.startIndex..., in: message)).reversed() {
            guard let whole = Range(match.range, in: out), let digits = Range(match.range(at: 1), in: out),
                  let line = Int(out[digits]), let page = page(ofLine: line) else { continue }
            out.replaceSubrange(whole, with: "(page \(page))")
        }
        return out
    }

    func span(_ lines: LineRange) -> PageSpan? {
        let lower = max(0, lines.start - 1)
        guard lower < min(linePages.count, lines.end) else { return nil }
        let range = lower..<min(linePages.count, lines.end)
        guard let first = range.lazy.compactMap({ linePages[$0] }).first,
              let last = range.reversed().lazy.compactMap({ linePages[$0] }).first else { return nil }
        let start = first.lowerBound
        let end = max(start, last.upperBound)
        var span = PageSpan(start: start, end: end)
        if let printedStart = printed[start - 1], let printedEnd = printed[end - 1] {
            span.printed = PageSpan.Printed(start: printedStart, end: printedEnd)
        }
        return span
    }
}
