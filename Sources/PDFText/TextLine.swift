/// One printed line of a page: words that share a baseline, left to right.
struct TextLine: Sendable {
    var page: Int
    var words: [PDFWord]

    var x0: Double { words.first!.x0 }
    var x1: Double { words.map(\.x1).max()! }
    var y0: Double { words.map(\.y0).min()! }
    var y1: Double { words.map(\.y1).max()! }
    var centerY: Double { (y0 + y1) / 2 }

    /// The font size most of the line's characters are set in.
    var size: Double {
        var weights: [Double: Int] = [:]
        for word in words { weights[(word.size * 10).rounded() / 10, default: 0] += word.text.count }
        return weights.max { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }!.key
    }

    var characterCount: Int { words.reduce(0) { $0 + $1.text.count } }

    /// The line as plain text: words joined with a space where poppler saw
    /// one or the gap is wide, directly where they touch (CJK runs). Table
    /// cells are cut by `TextRebuilder.segments`, not here.
    var text: String {
        var text = ""
        var previous: PDFWord?
        for word in words {
            if let before = previous, before.spaceAfter || word.x0 - before.x1 > before.size * 0.15 { text += " " }
            text += word.text
            previous = word
        }
        return text
    }

    /// Gaps between consecutive words, in points.
    var gaps: [Double] { zip(words, words.dropFirst()).map { $1.x0 - $0.x1 } }
}

extension TextLine {
    /// Groups a page's words into lines, top to bottom. Words belong to one
    /// line when their boxes overlap vertically by more than half of the
    /// smaller one and their centres are close; a superscript (a smaller box
    /// inside the line's band) joins the line it is raised above.
    static func lines(of page: PDFPage) -> [TextLine] {
        let words = page.words.filter { !$0.text.allSatisfy(\.isWhitespace) }
            .sorted { $0.centerY < $1.centerY || ($0.centerY == $1.centerY && $0.x0 < $1.x0) }
        var lines: [TextLine] = []
        for word in words {
            if let index = lines.indices.reversed().prefix(3).first(where: { lines[$0].holds(word) }) {
                lines[index].words.append(word)
            } else {
                lines.append(TextLine(page: page.number, words: [word]))
            }
        }
        for index in lines.indices { lines[index].words.sort { $0.x0 < $1.x0 } }
        return lines.sorted { $0.y0 < $1.y0 }
    }

    private func holds(_ word: PDFWord) -> Bool {
        // The line's typical word, not its whole band (which grows with
        // every superscript).
        let main = words.max { $0.height < $1.height }!
        let overlap = min(main.y1, word.y1) - max(main.y0, word.y0)
        let smaller = min(main.height, word.height)
        guard smaller > 0, overlap > smaller * 0.6 else { return false }
        if word.height < main.height * 0.85 || main.height < word.height * 0.85 {
            return true  // a superscript or subscript inside the band
        }
        return abs(main.centerY - word.centerY) < main.height * 0.25
    }
}
