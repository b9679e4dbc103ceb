/// Undoes what printing to PDF pages did to the prose.
///
/// A page break cuts a sentence into two paragraphs (sometimes with the page's
/// footnotes printed in between), and some converters repeat the character at
/// the cut (`…为抓手` / `手，以…`). A paragraph that does not end a sentence
/// is joined with the next paragraph, across footnotes but never across a
/// heading, caption or table.
enum PageBreakRepair {
    struct Result {
        var blocks: [Block]
        var notes: [(line: Int, message: String, code: String)]
    }

    static func repair(_ blocks: [Block]) -> Result {
        var out: [Block] = []
        var notes: [(Int, String, String)] = []
        var pendingFootnotes: [Block] = []
        for block in blocks {
            if case .footnote = block.content, let last = out.last, case .paragraph(let text) = last.content, !endsSentence(text) {
                // Footnotes printed inside a cut sentence: keep them aside until
                // we know whether the sentence continues.
                pendingFootnotes.append(block)
                continue
            }
            if case .paragraph(let next) = block.content, let last = out.last, case .paragraph(let previous) = last.content,
               !endsSentence(previous) {
                var joined = previous
                var continuation = Substring(next)
                if let lastCharacter = Markup.plainText(previous).last, continuation.first == lastCharacter,
                   continuation.count > 1, isPunctuation(continuation[continuation.index(after: continuation.startIndex)]) {
                    continuation = continuation.dropFirst()
                    notes.append((block.firstLine, "removed \"\(lastCharacter)\" repeated across a page break (line \(last.lastLine) / \(block.firstLine))", "page_break_duplicate"))
                }
                joined += continuation
                notes.append((last.lastLine, "joined a sentence split by a page break (lines \(last.lastLine) and \(block.firstLine))", "page_break_joined"))
                out[out.count - 1] = Block(content: .paragraph(joined), firstLine: last.firstLine, lastLine: block.lastLine)
                out += pendingFootnotes
                pendingFootnotes = []
                continue
            }
            out += pendingFootnotes
            pendingFootnotes = []
            out.append(block)
        }
        out += pendingFootnotes
        return Result(blocks: out, notes: notes)
    }

    private static let sentenceEnds: Set<Character> = ["。", "！", "？", "!", "?", "；", ";", "…", "：", ":"]
    private static let closers: Set<Character> = ["”", "’", "」", "』", "）", ")", "】", "》", "\"", "'"]

    /// Whether a paragraph ends a sentence, looking through closing quotes and
    /// brackets (`…。”` ends one, `…“金专业”` does not).
    static func endsSentence(_ paragraph: String) -> Bool {
        let text = Markup.plainText(paragraph)
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            let character = text[index]
            if sentenceEnds.contains(character) { return true }
            if closers.contains(character) || isFootnoteMarker(character) { continue }
            return false
        }
        return true
    }

    private static func isFootnoteMarker(_ character: Character) -> Bool {
        character.unicodeScalars.count == 1 && (0x2460...0x2473).contains(character.unicodeScalars.first!.value)
    }

    static func isPunctuation(_ character: Character) -> Bool {
        character.isPunctuation || "，。、；：？！".contains(character)
    }
}
