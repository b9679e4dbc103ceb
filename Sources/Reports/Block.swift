/// The report file cut into layout blocks: what each stretch of lines IS,
/// before anything decides where it belongs.
struct Block: Equatable {
    enum Content: Equatable {
        case heading(HeadingPattern, level: Int)
        case paragraph(String)
        case figureCaption(number: String, caption: String)
        case table(RawTable)
        case footnote(marker: String, text: String)
        case tableOfContents(HeadingPattern.TOCKind, entries: [TOCEntry])
    }

    var content: Content
    /// 1-based, inclusive.
    var firstLine: Int
    var lastLine: Int
}

/// A table as laid out in the file: rows of cells with their line numbers.
struct RawTable: Equatable {
    var number: String?
    var caption: String?
    var captionLine: Int?
    var rows: [Row]
    var source: String?

    struct Row: Equatable {
        var cells: [String]
        var line: Int
    }
}

/// One line of a table-of-contents block.
struct TOCEntry: Equatable {
    enum Kind: Equatable {
        /// A numbered heading (`style` and `numbers` as `HeadingPattern` reads
        /// them), or a named one (`前言`) when `numbers` is empty.
        case section(style: HeadingPattern.Style?, numbers: [Int])
        case caseStudy(number: String)
        case figure(number: String)
        case table(number: String)
    }
    var kind: Kind
    var title: String
    var line: Int
}
