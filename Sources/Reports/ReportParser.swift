import Foundation

/// A report cut into units, with what the parser noticed on the way.
public struct ParsedReport: Sendable {
    public var info: ReportInfo
    /// The report file as the user named it (`corpus/guangzhou-2024.md`).
    public var file: String
    public var units: [ReportUnit]
    public var diagnostics: [Diagnostic]

    public func count(of kind: UnitKind) -> Int { units.lazy.filter { $0.kind == kind }.count }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Turns the text of one report into typed units.
///
/// The parser knows layouts, not reports: headings numbered `1.1.3`, `一、`,
/// `（一）`, `第一章`; case markers `案例 1-2`, `【案例1】`, `案例一：`; captions
/// `图 1-1：`/`表 1-1：`; tab-separated and pipe tables; `<sup>①</sup>`
/// footnotes. Everything specific to a report comes from the manifest and the
/// gazetteer.
public struct ReportParser: Sendable {
    public let gazetteer: Gazetteer
    let matcher: NameMatcher

    public init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
        self.matcher = NameMatcher(gazetteer: gazetteer)
    }

    /// Parses `text`, the content of `file`. Throws `ReportError` when nothing
    /// useful can be produced (an empty report, one without any heading).
    public func parse(text: String, info: ReportInfo, file: String) throws -> ParsedReport {
        guard !text.trimmed.isEmpty else {
            throw ReportError(.reportEmpty, "report '\(info.id)' is empty", file: file)
        }
        var builder = StructureBuilder(info: info, file: file, matcher: matcher, gazetteer: gazetteer)
        let scanned = BlockScanner(text: text).scan()
        let repaired = PageBreakRepair.repair(scanned)
        for note in repaired.notes {
            builder.diagnostics.append(Diagnostic(.note, note.code, note.message, file: file, line: note.line))
        }
        for block in repaired.blocks { builder.add(block) }
        guard builder.hasStructure else {
            throw ReportError(.noHeadings, "no recognisable headings in report '\(info.id)': expected numbered sections (1.1, 一、, （一）) or case markers (案例 1-1)", file: file, line: 1)
        }
        return builder.finish()
    }
}
