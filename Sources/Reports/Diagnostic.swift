/// Something the parser noticed about a report that did not stop it: a TOC
/// entry missing from the body, a ragged table row, a repaired page break.
///
/// `code` values are stable and documented in the README; tools may filter on
/// them.
public struct Diagnostic: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable {
        /// A likely problem in the report or in the parse: shown by default.
        case warning
        /// A repair or decision the parser made: shown with `--verbose`.
        case note
    }

    public var severity: Severity
    public var code: String
    public var message: String
    public var file: String
    public var line: Int?

    public init(_ severity: Severity, _ code: String, _ message: String, file: String, line: Int?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return "\(location): \(severity.rawValue): \(message) [\(code)]"
    }
}

/// A failure that leaves nothing useful to produce for a report or the corpus:
/// a missing file, invalid JSON, text that is not UTF-8.
///
/// Carries a stable `code`, a message that says what to do, and the file (and
/// line, where one is known) it concerns.
public struct ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes. A struct rather than an enum so that new codes can
    /// be added without breaking callers that switch over the known ones.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let corpusNotFound = Code(rawValue: "corpus_not_found")
        public static let manifestMissing = Code(rawValue: "manifest_missing")
        public static let manifestInvalid = Code(rawValue: "manifest_invalid")
        public static let gazetteerMissing = Code(rawValue: "gazetteer_missing")
        public static let gazetteerInvalid = Code(rawValue: "gazetteer_invalid")
        public static let reportFileMissing = Code(rawValue: "report_file_missing")
        public static let reportEmpty = Code(rawValue: "report_empty")
        public static let reportNotUTF8 = Code(rawValue: "report_not_utf8")
        public static let reportUnreadable = Code(rawValue: "report_unreadable")
        public static let reportOutsideCorpus = Code(rawValue: "report_outside_corpus")
        public static let noHeadings = Code(rawValue: "report_no_headings")
        // A PDF report that cannot be read (PDFProblem's codes). `anli index`
        // leaves such a report out with a warning and indexes the others.
        public static let pdfNotPDF = Code(rawValue: "pdf_not_a_pdf")
        public static let pdfDamaged = Code(rawValue: "pdf_damaged")
        public static let pdfEncrypted = Code(rawValue: "pdf_encrypted")
        public static let pdfNoPages = Code(rawValue: "pdf_no_pages")
        public static let pdfNoText = Code(rawValue: "pdf_no_text")

        /// A report that cannot be read as the file it claims to be, but
        /// whose corpus is otherwise fine: the builder skips it.
        public var isUnreadablePDF: Bool { rawValue.hasPrefix("pdf_") }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int?

    public init(_ code: Code, _ message: String, file: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return "\(location): error: \(message) [\(code)]"
    }
}
