import Foundation

/// A corpus directory: `reports.json`, `schools.json` and the report files
/// the manifest lists.
///
/// ```swift
/// let corpus = try Corpus(directory: URL(fileURLWithPath: "corpus"))
/// let parsed = try corpus.parseAll()
/// print(parsed[0].count(of: .case))   // 66
/// ```
public struct Corpus: Sendable {
    public static let manifestName = "reports.json"
    public static let gazetteerName = "schools.json"

    public let directory: URL
    /// How the directory is shown in messages (as the user typed it).
    public let displayPath: String
    public let manifest: Manifest
    public let gazetteer: Gazetteer
    /// Problems with the manifest or gazetteer that did not stop loading.
    public let diagnostics: [Diagnostic]

    public init(directory: URL, displayPath: String? = nil) throws {
        self.directory = directory
        let shown = displayPath ?? directory.path
        self.displayPath = shown
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError(.corpusNotFound, "corpus directory not found; pass the directory that holds \(Self.manifestName)", file: shown)
        }
        let manifestPath = Self.join(shown, Self.manifestName)
        let manifest = try JSONFile.decode(
            Manifest.self, at: directory.appendingPathComponent(Self.manifestName), displayPath: manifestPath,
            missing: .manifestMissing, invalid: .manifestInvalid)
        let gazetteerPath = Self.join(shown, Self.gazetteerName)
        let gazetteer = try JSONFile.decode(
            Gazetteer.self, at: directory.appendingPathComponent(Self.gazetteerName), displayPath: gazetteerPath,
            missing: .gazetteerMissing, invalid: .gazetteerInvalid)
        try Self.validate(manifest, path: manifestPath)
        self.manifest = manifest
        self.gazetteer = gazetteer
        self.diagnostics = Self.check(gazetteer, path: gazetteerPath) + Self.unlistedFiles(in: directory, manifest: manifest, shown: shown)
    }

    /// The path of a report file as shown in messages.
    public func displayPath(of report: ReportInfo) -> String { Self.join(displayPath, report.file) }

    /// Reads and parses one report: a text file, or a PDF (a file named
    /// `.pdf`) read through poppler. Throws `ReportError` for a missing,
    /// unreadable, empty or non-UTF-8 file, one without headings, or a PDF
    /// that cannot be read (`pdf_*` codes: encrypted, scanned, damaged, no
    /// pages, not a PDF).
    public func parse(_ report: ReportInfo) throws -> ParsedReport {
        try parse(report, contents: contents(of: report))
    }

    /// The bytes of a report file. Throws `ReportError` for a missing or
    /// unreadable file.
    public func contents(of report: ReportInfo) throws -> Data {
        let shown = displayPath(of: report)
        let url = try fileURL(of: report)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ReportError(.reportUnreadable, "cannot read report '\(report.id)': \(FileProblem.describe(error))", file: shown)
        }
    }

    /// Parses a report from bytes already read from its file, so that a
    /// caller that fingerprints the file parses exactly what it fingerprinted
    /// (the file may change in between).
    public func parse(_ report: ReportInfo, contents data: Data) throws -> ParsedReport {
        let shown = displayPath(of: report)
        if PDFReport.isPDF(report.file) {
            return try PDFReport.parse(data, info: report, file: shown, parser: ReportParser(gazetteer: gazetteer))
        }
        let text = try Self.decodeUTF8(data, file: shown)
        return try ReportParser(gazetteer: gazetteer).parse(text: text, info: report, file: shown)
    }

    /// Where a report's file is, once it is known to exist and to lie inside
    /// the corpus directory. Report files are data: a file that is a
    /// symbolic link to somewhere outside the corpus is refused, as `..` and
    /// absolute paths in the manifest are (`validate`), so that nothing in a
    /// corpus makes the indexer read elsewhere.
    public func fileURL(of report: ReportInfo) throws -> URL {
        let shown = displayPath(of: report)
        let url = directory.appendingPathComponent(report.file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ReportError(.reportFileMissing, "report '\(report.id)' lists file '\(report.file)', which does not exist", file: shown)
        }
        let root = directory.resolvingSymlinksInPath().standardizedFileURL.path
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
        guard resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw ReportError(.reportOutsideCorpus, "report '\(report.id)': '\(report.file)' leads to \(resolved), outside the corpus directory; report files must be inside it", file: shown)
        }
        return url
    }

    /// Parses every report the manifest lists, in manifest order.
    public func parseAll() throws -> [ParsedReport] {
        try manifest.reports.map(parse)
    }

    // MARK: - Checks

    static func decodeUTF8(_ data: Data, file: String) throws -> String {
        if let text = String(validating: data, as: UTF8.self) {
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        }
        // Find the first bad byte so the message can name its line.
        var line = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += scalar.utf8.count
                if scalar == "\n" { line += 1 }
            case .emptyInput:
                break loop
            case .error:
                break loop
            }
        }
        throw ReportError(.reportNotUTF8, "file is not UTF-8 text (first invalid byte near byte \(offset)); convert it with iconv -f GB18030 -t UTF-8", file: file, line: line)
    }

    private static func validate(_ manifest: Manifest, path: String) throws {
        guard !manifest.reports.isEmpty else {
            throw ReportError(.manifestInvalid, "the manifest lists no reports", file: path)
        }
        var ids = Set<String>()
        for (index, report) in manifest.reports.enumerated() {
            let where_ = "reports[\(index)]"
            guard report.id.range(of: #"^[a-z0-9][a-z0-9-]*$"#, options: .regularExpression) != nil else {
                throw ReportError(.manifestInvalid, "\(where_): id '\(report.id)' must be lowercase letters, digits and '-' (it is part of every unit id)", file: path)
            }
            guard ids.insert(report.id).inserted else {
                throw ReportError(.manifestInvalid, "\(where_): report id '\(report.id)' is listed twice", file: path)
            }
            guard !report.file.isEmpty, !report.file.contains(".."), !report.file.hasPrefix("/") else {
                throw ReportError(.manifestInvalid, "\(where_): report '\(report.id)' needs a file name inside the corpus directory", file: path)
            }
        }
    }

    private static func check(_ gazetteer: Gazetteer, path: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var ids = Set<String>()
        var owners: [String: String] = [:]
        let districts = Set(gazetteer.districts.map(\.name))
        for school in gazetteer.schools {
            if !ids.insert(school.id).inserted {
                diagnostics.append(Diagnostic(.warning, "gazetteer_duplicate_id", "school id '\(school.id)' is used twice", file: path, line: nil))
            }
            for name in [school.name] + school.aliases {
                let key = name.filter { !$0.isWhitespace }
                if let owner = owners[key], owner != school.id {
                    diagnostics.append(Diagnostic(.warning, "gazetteer_ambiguous_name", "name '\(name)' belongs to both '\(owner)' and '\(school.id)'; the first wins", file: path, line: nil))
                } else {
                    owners[key] = school.id
                }
            }
            if let district = school.district, !districts.contains(district) {
                diagnostics.append(Diagnostic(.warning, "gazetteer_unknown_district", "school '\(school.id)' has district '\(district)', which is not in the districts list", file: path, line: nil))
            }
        }
        return diagnostics
    }

    private static func unlistedFiles(in directory: URL, manifest: Manifest, shown: String) -> [Diagnostic] {
        let listed = Set(manifest.reports.map(\.file))
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { ($0.hasSuffix(".md") || PDFReport.isPDF($0)) && !listed.contains($0) && !$0.uppercased().hasPrefix("README") && !$0.uppercased().contains("NOTES") }
            .sorted()
            .map { Diagnostic(.warning, "report_not_in_manifest", "\($0) is not listed in \(manifestName) and is not parsed", file: join(shown, $0), line: nil) }
    }

    static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
