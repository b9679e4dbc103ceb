/// The kinds of unit a report is cut into.
///
/// The raw values are part of the public JSON schema (`anli parse --json`) and
/// of unit ids (`gz-2024/case/1-12`): never rename one.
public enum UnitKind: String, Codable, Sendable, CaseIterable, Comparable {
    case section
    case `case`
    case table
    case row
    case figure

    public static func < (lhs: UnitKind, rhs: UnitKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// How the reports name the kind, for display (facet labels, lists).
    public var label: String {
        switch self {
        case .section: return "章节"
        case .case: return "案例"
        case .table: return "表"
        case .row: return "表行"
        case .figure: return "图"
        }
    }
}

/// One searchable piece of a report: a section's own prose, a case study, a
/// table, one logical table row, or a figure.
///
/// Every unit carries enough metadata to be shown and filtered without going
/// back to the report file: where it sits (chapter, section path, heading
/// chain, source lines), what it is about (schools, districts, years) and its
/// text as written.
public struct ReportUnit: Codable, Sendable, Equatable {
    /// `<report-id>/<kind>/<number>`, e.g. `gz-2024/case/1-12`.
    public var id: String
    public var kind: UnitKind
    /// The number part of the id: `1.1.3`, `1-12`, `6-2.2`, `preface`.
    public var number: String
    public var report: String
    /// The report year from the manifest (`2024` for the 2024 report).
    public var year: Int
    public var title: String
    /// The title the table of contents gives, when it differs from the body's.
    public var tocTitle: String?
    /// The text as written (page-break artifacts repaired, markup removed),
    /// for display. Search normalises it; this field is never normalised.
    public var text: String
    public var chapter: ChapterRef?
    /// Section numbers from the chapter down to the innermost section
    /// containing this unit, e.g. `["1", "1.1", "1.1.3"]`.
    public var sectionPath: [String]
    /// The heading texts matching `sectionPath`, e.g. `["1. 人才培养", …]`.
    public var headings: [String]
    /// The unit this one sits in (a case for its figures, a table for its rows).
    public var parent: String?
    /// Lines of the report file (of a PDF: of the text anli reads from it,
    /// `anli pdf-text`).
    public var lines: LineRange
    /// The pages of a PDF report the unit spans; absent for text reports,
    /// which have no pages.
    public var pages: PageSpan?
    /// Years the unit mentions (`2024年1月` -> 2024, `本年度` -> report year).
    public var years: [Int]
    /// The schools the unit is about: canonical id and name from
    /// `corpus/schools.json`.
    public var schools: [SchoolRef]
    /// The schools the unit only mentions.
    public var mentionedSchools: [SchoolRef]
    /// Districts (区) the unit concerns: those of its schools and those named.
    public var districts: [String]
    /// Ids of the figures and tables that sit inside this unit.
    public var figures: [String]
    public var tables: [String]
    /// Footnotes the unit's text references, with their text.
    public var footnotes: [Footnote]
    /// For `table` units: the caption, header, logical rows and source note.
    public var table: TableData?
    /// For `row` units: the row's cells paired with their headers.
    public var row: RowData?

    public init(
        id: String, kind: UnitKind, number: String, report: String, year: Int, title: String,
        tocTitle: String? = nil, text: String, chapter: ChapterRef?, sectionPath: [String],
        headings: [String], parent: String?, lines: LineRange, years: [Int] = [],
        schools: [SchoolRef] = [], mentionedSchools: [SchoolRef] = [], districts: [String] = [],
        figures: [String] = [], tables: [String] = [], footnotes: [Footnote] = [],
        table: TableData? = nil, row: RowData? = nil
    ) {
        self.id = id
        self.kind = kind
        self.number = number
        self.report = report
        self.year = year
        self.title = title
        self.tocTitle = tocTitle
        self.text = text
        self.chapter = chapter
        self.sectionPath = sectionPath
        self.headings = headings
        self.parent = parent
        self.lines = lines
        self.years = years
        self.schools = schools
        self.mentionedSchools = mentionedSchools
        self.districts = districts
        self.figures = figures
        self.tables = tables
        self.footnotes = footnotes
        self.table = table
        self.row = row
    }

    public static func id(report: String, kind: UnitKind, number: String) -> String {
        "\(report)/\(kind.rawValue)/\(number)"
    }
}

/// The pages a unit spans in a PDF report: physical pages (1 = the file's
/// first page), and the page numbers the report prints on them where it
/// prints any (a report often numbers its body from 1 after the cover and
/// the contents), which is what a citation names.
public struct PageSpan: Codable, Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int
    public var printed: Printed?

    public struct Printed: Codable, Sendable, Equatable, Hashable {
        public var start: String
        public var end: String
        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    public init(start: Int, end: Int, printed: Printed? = nil) {
        self.start = start
        self.end = max(start, end)
        self.printed = printed
    }

    /// How a citation names the pages: the printed numbers where the
    /// report prints them (`p. 12`, `pp. 12–13`), else the physical ones.
    public var citation: String {
        let (first, last) = printed.map { ($0.start, $0.end) } ?? (String(start), String(end))
        return first == last ? "p. \(first)" : "pp. \(first)–\(last)"
    }
}

public struct ChapterRef: Codable, Sendable, Equatable {
    public var number: String
    public var title: String
    public init(number: String, title: String) {
        self.number = number
        self.title = title
    }
}

/// 1-based, inclusive line numbers in the report file.
public struct LineRange: Codable, Sendable, Equatable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }
}

public struct Footnote: Codable, Sendable, Equatable {
    /// The marker as written: `①`, `1`.
    public var marker: String
    public var text: String
    /// Where the footnote's own text stands in the file.
    public var line: Int
    public init(marker: String, text: String, line: Int) {
        self.marker = marker
        self.text = text
        self.line = line
    }
}

/// A table as data: a header and logical rows of cells.
///
/// A side-by-side layout (two rankings printed next to each other) becomes
/// several `parts`, each with its own header and rows; `header`/`rows` then
/// hold the first part, and every part is listed in `parts`.
public struct TableData: Codable, Sendable, Equatable {
    public var caption: String
    public var header: [String]
    public var rows: [[String]]
    public var parts: [TablePart]?
    /// The data-source note under the table (`数据来源：…`), if any.
    public var source: String?
}

public struct TablePart: Codable, Sendable, Equatable {
    /// The part's label from the grouping line above the header, e.g. `2023-2024 学年`.
    public var label: String?
    public var header: [String]
    public var rows: [[String]]
}

/// A school by its canonical id and its name in the gazetteer, as every
/// answer names one.
public struct SchoolRef: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

public struct RowData: Codable, Sendable, Equatable {
    public var table: String
    public var caption: String
    /// 1-based position of the row among the table's logical rows.
    public var index: Int
    /// The part label for side-by-side tables.
    public var part: String?
    public var cells: [Cell]

    public struct Cell: Codable, Sendable, Equatable {
        public var header: String
        /// The cell as written.
        public var value: String
        /// The number in `value`, if it is one (`CellNumber`): `17.76:1`
        /// is 17.76 with unit `ratio`, `96.43%` is 96.43 with unit `%`.
        public var number: Double?
        public var unit: String?

        public init(header: String, value: String) {
            self.header = header
            self.value = value
            if let parsed = CellNumber.parse(value) {
                number = parsed.value
                unit = parsed.unit
            }
        }
    }
}
