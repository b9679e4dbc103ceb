/// Checks the body against the report's own tables of contents: every case,
/// figure, table and numbered section a TOC lists must be in the body with
/// the same title, and every one in the body should be listed. Each
/// difference is a warning with both line numbers; a case whose TOC title
/// differs keeps it as `tocTitle`.
///
/// Titles are compared with whitespace removed and full-width ASCII folded
/// (`：` = `:`), so only real differences are reported.
struct TOCCrossCheck {
    let tocs: [(kind: HeadingPattern.TOCKind, entries: [TOCEntry])]
    let drafts: [UnitDraft]
    let file: String
    var diagnostics: [Diagnostic] = []

    init(tocs: [(kind: HeadingPattern.TOCKind, entries: [TOCEntry])], drafts: [UnitDraft], file: String) {
        self.tocs = tocs
        self.drafts = drafts
        self.file = file
    }

    mutating func run() {
        let entries = tocs.flatMap(\.entries)
        let kindsListed = Set(entries.map { entry -> UnitKind in
            switch entry.kind {
            case .section: return .section
            case .caseStudy: return .case
            case .figure: return .figure
            case .table: return .table
            }
        })
        for kind in [UnitKind.case, .figure, .table, .section] where kindsListed.contains(kind) {
            check(kind, entries: entries)
        }
    }

    private mutating func check(_ kind: UnitKind, entries: [TOCEntry]) {
        let bodyUnits = drafts.filter { $0.kind == kind }
        var matched = Set<String>()
        // Section numbers in a TOC follow the same nesting rules as the body's.
        var numbering = SectionNumbering()
        for entry in entries {
            let number: String?
            switch (entry.kind, kind) {
            case (.caseStudy(let n), .case), (.figure(let n), .figure), (.table(let n), .table): number = n
            case (.section(let style?, let numbers), .section):
                number = numbering.path(style: style, numbers: numbers).path.map(String.init).joined(separator: ".")
            case (.section(nil, _), .section): number = nil
            default: continue
            }
            let body: UnitDraft?
            if let number {
                body = bodyUnits.first { $0.number == number }
            } else {
                body = bodyUnits.first { Self.comparable($0.title) == Self.comparable(entry.title) }
            }
            let label = Self.label(kind, number: number ?? entry.title)
            guard let body else {
                warn(entry.line, "\(label) is listed in the table of contents but not found in the body", "toc_missing_in_body")
                continue
            }
            matched.insert(body.id)
            if Self.comparable(body.title) != Self.comparable(entry.title) {
                let how = Self.comparable(body.title, dropPunctuation: true) == Self.comparable(entry.title, dropPunctuation: true)
                    ? " (punctuation only)" : ""
                warn(entry.line, "\(label) title differs\(how): table of contents \"\(entry.title)\", body (line \(body.lines.start)) \"\(body.title)\"", "toc_title_differs")
                if kind == .case { body.tocTitle = entry.title }
            }
        }
        for body in bodyUnits where !matched.contains(body.id) {
            // Named sections (前言) are checked by title; unlisted ones are not news.
            if kind == .section, !(body.number.first?.isNumber ?? false) { continue }
            warn(body.lines.start, "\(Self.label(kind, number: body.number)) \"\(body.title)\" is in the body but not in the table of contents", "toc_extra_in_body")
        }
    }

    private static func label(_ kind: UnitKind, number: String) -> String {
        switch kind {
        case .case: return "案例 \(number)"
        case .figure: return "图 \(number)"
        case .table: return "表 \(number)"
        case .section: return "section \(number)"
        case .row: return "row \(number)"
        }
    }

    static func comparable(_ title: String, dropPunctuation: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        for scalar in Markup.plainText(title).unicodeScalars where !scalar.properties.isWhitespace {
            var folded = scalar
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) { folded = ascii }
            if dropPunctuation, Character(folded).isPunctuation || Character(folded).isSymbol { continue }
            out.append(folded)
        }
        return String(out)
    }

    private mutating func warn(_ line: Int, _ message: String, _ code: String) {
        diagnostics.append(Diagnostic(.warning, code, message, file: file, line: line))
    }
}
