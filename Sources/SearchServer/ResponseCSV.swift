import Reports
import SearchIndex

/// CSV for spreadsheets (RFC 4180): a header row, then one row per hit or
/// unit; fields quoted where they hold a comma, a quote or a line break,
/// quotes doubled, lines ending in CRLF. The file starts with a UTF-8 byte
/// order mark: without one, Excel reads a CSV file in the system's code
/// page and turns the Chinese into mojibake.
struct CSVWriter {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private(set) var bytes: [UInt8] = []

    mutating func row(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            if needsQuotes {
                bytes.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                    bytes.append(byte)
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes += field.utf8
            }
        }
        bytes += [13, 10]
    }
}

/// The columns of the CSV answers (docs/API.md): lists inside a field are
/// joined with `;`, a section path with `.`-numbered parts with ` > `.
enum CSVColumns {
    static let hit = [
        "rank", "id", "kind", "report", "year", "number", "title", "chapter", "section_path", "schools", "school_ids",
        "score", "match", "snippet", "page_start", "page_end", "printed_page_start", "printed_page_end",
    ]

    static func hit(_ hit: SearchHit, rank: Int) -> [String] {
        [
            String(rank), hit.id, hit.kind.rawValue, hit.report, String(hit.year), hit.number, hit.title,
            hit.chapter.map { "\($0.number) \($0.title)" } ?? "", hit.headings.joined(separator: " > "),
            hit.schools.map(\.name).joined(separator: ";"), hit.schools.map(\.id).joined(separator: ";"),
            String(hit.score), hit.match.rawValue, hit.snippet ?? "",
        ] + pageFields(hit.pages)
    }

    static let unit = [
        "id", "kind", "report", "year", "number", "title", "chapter", "section_path", "schools", "school_ids",
        "districts", "years", "line_start", "line_end", "parent", "text",
        "page_start", "page_end", "printed_page_start", "printed_page_end",
    ]

    static func unit(_ unit: ReportUnit) -> [String] {
        [
            unit.id, unit.kind.rawValue, unit.report, String(unit.year), unit.number, unit.title,
            unit.chapter.map { "\($0.number) \($0.title)" } ?? "", unit.headings.joined(separator: " > "),
            unit.schools.map(\.name).joined(separator: ";"), unit.schools.map(\.id).joined(separator: ";"),
            unit.districts.joined(separator: ";"), unit.years.map(String.init).joined(separator: ";"),
            String(unit.lines.start), String(unit.lines.end), unit.parent ?? "", unit.text,
        ] + pageFields(unit.pages)
    }

    /// Empty for a text report (no pages), so that a spreadsheet's column
    /// holds numbers or nothing.
    static func pageFields(_ pages: PageSpan?) -> [String] {
        guard let pages else { return ["", "", "", ""] }
        return [String(pages.start), String(pages.end), pages.printed?.start ?? "", pages.printed?.end ?? ""]
    }
}

/// What `/v1/export` streams: JSON Lines of full units, or CSV rows.
public enum ExportFormat: String, Sendable, CaseIterable {
    case ndjson, csv

    var contentType: String {
        switch self {
        case .ndjson: "application/x-ndjson; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        }
    }

    /// What precedes the first page: the CSV header row.
    var header: [UInt8] {
        switch self {
        case .ndjson: return []
        case .csv:
            var csv = CSVWriter()
            csv.row(CSVColumns.unit)
            return CSVWriter.byteOrderMark + csv.bytes
        }
    }

    /// One page of the export (`request`'s offset and limit): its bytes and
    /// how many units it held (fewer than the limit: the last page).
    func page(_ request: SearchRequest, on searcher: Searcher) throws -> (bytes: [UInt8], count: Int) {
        let results = try searcher.search(request)
        switch self {
        case .ndjson:
            var json = JSONWriter(reservingCapacity: 64 * 1024)
            // `unit(_:)` looks the document up again, but that is cheap:
            // what costs is decoding its stored JSON (some 50 µs a unit),
            // which reusing the match would not save.
            for hit in results.hits {
                try searcher.unit(hit.id).write(to: &json)
                json.endLine()
            }
            return (json.bytes, results.hits.count)
        case .csv:
            var csv = CSVWriter()
            for hit in results.hits {
                csv.row(CSVColumns.unit(try searcher.unit(hit.id)))
            }
            return (csv.bytes, results.hits.count)
        }
    }
}
