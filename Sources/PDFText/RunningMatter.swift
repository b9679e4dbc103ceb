import Foundation

/// Finds the running headers and footers a PDF repeats on its pages, and the
/// page numbers printed in them, so that neither ends up in a unit's text.
///
/// A line near the top or bottom edge is running matter when the same text,
/// with its digits masked (`第 3 页` and `第 4 页` are one pattern), stands
/// near that edge on several pages, some of them neighbours. A lone number (`12`, `- 12 -`, `第12页`,
/// `12 / 80`) in that band is a printed page number even when nothing else
/// repeats.
struct RunningMatter {
    /// Keys (masked text) of lines that repeat near an edge.
    private var repeated: Set<String> = []
    /// How far from the top and bottom edge running matter may stand, as a
    /// fraction of the page height.
    static let band = 0.12

    init(pages: [(page: PDFPage, lines: [TextLine])]) {
        var seenOn: [String: [Int]] = [:]
        for (page, lines) in pages {
            var seen = Set<String>()
            for line in Self.edgeLines(lines, page: page) {
                let key = Self.key(line.text)
                if !key.isEmpty, seen.insert(key).inserted { seenOn[key, default: []].append(page.number) }
            }
        }
        // On several pages — at least 3, or half the pages of a short
        // document — and on pages near each other (a running header is on
        // every page or every other page of its stretch; a heading that
        // happens to open a page in two parts of a report is not).
        let needed = max(2, min(3, (pages.count + 1) / 2))
        repeated = Set(seenOn.filter { _, numbers in
            numbers.count >= needed && zip(numbers, numbers.dropFirst()).contains { $1 - $0 <= 2 }
        }.keys)
    }

    /// Splits a page's lines into body lines and the printed page number.
    func strip(_ lines: [TextLine], page: PDFPage) -> (body: [TextLine], printedNumber: String?) {
        let edge = Set(Self.edgeLines(lines, page: page).map { $0.y0 })
        var body: [TextLine] = []
        var printed: String?
        for line in lines {
            guard edge.contains(line.y0) else {
                body.append(line)
                continue
            }
            let text = line.text
            if let number = Self.pageNumber(in: text) {
                printed = printed ?? number
                continue
            }
            if repeated.contains(Self.key(text)) {
                if printed == nil, let number = Self.embeddedPageNumber(in: text) { printed = number }
                continue
            }
            body.append(line)
        }
        return (body, printed)
    }

    /// The lines within the band at the top and bottom of the page: at most
    /// two on each side, so that a page of body text that starts right at
    /// the edge loses nothing that does not repeat.
    static func edgeLines(_ lines: [TextLine], page: PDFPage) -> [TextLine] {
        let top = lines.filter { $0.y1 <= page.height * band }.prefix(2)
        let bottom = lines.filter { $0.y0 >= page.height * (1 - band) }.suffix(2)
        return Array(top) + Array(bottom)
    }

    static func key(_ text: String) -> String {
        String(text.filter { !$0.isWhitespace }.map { $0.isNumber ? "#" : $0 })
    }

    private static let loneNumber = try! NSRegularExpression(
        pattern: #"^[\s\-—–·•]*(?:第\s*)?([0-9]{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})(?:\s*页)?(?:\s*[/／]\s*[0-9]{1,4}|\s*共\s*[0-9]{1,4}\s*页)?[\s\-—–·•]*$"#)
    private static let pageMention = try! NSRegularExpression(pattern: #"第\s*([0-9]{1,4})\s*页|([0-9]{1,4})\s*[/／]\s*[0-9]{1,4}\s*$|(?:^|\s)([0-9]{1,4})\s*$|^\s*([0-9]{1,4})(?:\s|$)"#)

    /// `12`, `- 12 -`, `第 12 页`, `第12页 共80页`, `12 / 80`, `iv`.
    static func pageNumber(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = loneNumber.firstMatch(in: text, range: range),
              let number = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[number])
    }

    /// The page number inside a header or footer that holds more
    /// (`2024年度报告 第 3 页 共 40 页`, `质量报告  12`).
    static func embeddedPageNumber(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pageMention.firstMatch(in: text, range: range) else { return nil }
        for group in 1..<match.numberOfRanges {
            if let found = Range(match.range(at: group), in: text) { return String(text[found]) }
        }
        return nil
    }
}
