import Foundation
import Reports

/// What a document's data holds, in two parts:
///
/// 1. a small binary record with what a hit shows (id, title, text, where
///    it sits, schools, pages) and whether its text needs traditional -> simplified
///    conversion — decoded for every hit of every search, so it must be
///    cheap (Foundation's JSONDecoder took a quarter of a search's time);
/// 2. the rest of the unit as JSON (tables, rows, footnotes…; the text is
///    left out, being in the record), decoded only by `Searcher.unit(_:)`.
///
/// Layout: "AU1" magic, UInt32 record length, record, JSON. Integers are
/// little-endian; strings are a UInt32 byte count and UTF-8 bytes; lists are
/// a UInt32 count and their items.
struct StoredUnit {
    /// The fields of a hit.
    struct Record: Equatable {
        var id: String
        var kind: UnitKind
        var report: String
        var year: Int
        var number: String
        var title: String
        var text: String
        var chapter: ChapterRef?
        var sectionPath: [String]
        var headings: [String]
        var schools: [String]
        /// The pages of a PDF report the unit spans; nil for text reports.
        var pages: PageSpan?
        /// Whether traditional -> simplified conversion changes the text:
        /// checked once at index time, so that snippets of simplified text
        /// skip OpenCC, the slowest step of analysis.
        var convertsChinese: Bool
    }

    private static let magic: [UInt8] = Array("AU1".utf8)

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ unit: ReportUnit, convertsChinese: Bool) throws -> [UInt8] {
        var record = Writer()
        record.string(unit.id)
        record.string(unit.kind.rawValue)
        record.string(unit.report)
        record.integer(unit.year)
        record.string(unit.number)
        record.string(unit.title)
        record.string(unit.text)
        record.string(unit.chapter?.number ?? "")
        record.string(unit.chapter?.title ?? "")
        record.strings(unit.sectionPath)
        record.strings(unit.headings)
        record.strings(unit.schools.map(\.id))
        record.bytes.append(convertsChinese ? 1 : 0)
        // Pages: physical start and end (0: a text report, no pages), then
        // the printed numbers ("" where the page prints none).
        record.integer(unit.pages?.start ?? 0)
        record.integer(unit.pages?.end ?? 0)
        record.string(unit.pages?.printed?.start ?? "")
        record.string(unit.pages?.printed?.end ?? "")
        var data = magic
        var header = Writer()
        header.integer(record.bytes.count)
        data += header.bytes + record.bytes
        // The text is in the record already; storing it twice would double
        // what Xapian inflates for every hit.
        var rest = unit
        rest.text = ""
        data += try encoder.encode(rest)
        return data
    }

    static func record(from data: [UInt8]) -> Record? {
        var reader = Reader(data)
        guard reader.expect(magic), let length = reader.integer(), let end = reader.offset.addingReportingOverflow(length).partialValue as Int?,
              end <= data.count,
              let id = reader.string(), let kindName = reader.string(), let kind = UnitKind(rawValue: kindName),
              let report = reader.string(), let year = reader.integer(), let number = reader.string(),
              let title = reader.string(), let text = reader.string(), let chapterNumber = reader.string(),
              let chapterTitle = reader.string(), let sectionPath = reader.strings(), let headings = reader.strings(),
              let schools = reader.strings(), let flag = reader.byte(),
              let pageStart = reader.integer(), let pageEnd = reader.integer(),
              let printedStart = reader.string(), let printedEnd = reader.string()
        else { return nil }
        var pages: PageSpan?
        if pageStart > 0 {
            pages = PageSpan(start: pageStart, end: pageEnd)
            if !printedStart.isEmpty { pages?.printed = PageSpan.Printed(start: printedStart, end: printedEnd) }
        }
        return Record(
            id: id, kind: kind, report: report, year: year, number: number, title: title, text: text,
            chapter: chapterNumber.isEmpty ? nil : ChapterRef(number: chapterNumber, title: chapterTitle),
            sectionPath: sectionPath, headings: headings, schools: schools, pages: pages, convertsChinese: flag == 1)
    }

    static func unit(from data: [UInt8]) throws -> ReportUnit {
        var reader = Reader(data)
        guard reader.expect(magic), let length = reader.integer(), reader.offset + length <= data.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an anli unit record"))
        }
        var unit = try JSONDecoder().decode(ReportUnit.self, from: Data(data[(reader.offset + length)...]))
        guard let record = record(from: data) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unreadable unit record"))
        }
        unit.text = record.text
        return unit
    }

    // MARK: - Bytes

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func integer(_ value: Int) {
            let value = UInt32(truncatingIfNeeded: value)
            bytes += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        }

        mutating func string(_ value: String) {
            integer(value.utf8.count)
            bytes += value.utf8
        }

        mutating func strings(_ values: [String]) {
            integer(values.count)
            for value in values { string(value) }
        }
    }

    private struct Reader {
        let data: [UInt8]
        var offset = 0

        init(_ data: [UInt8]) { self.data = data }

        mutating func expect(_ prefix: [UInt8]) -> Bool {
            guard data.count >= prefix.count, Array(data[0..<prefix.count]) == prefix else { return false }
            offset = prefix.count
            return true
        }

        mutating func byte() -> UInt8? {
            guard offset < data.count else { return nil }
            defer { offset += 1 }
            return data[offset]
        }

        mutating func integer() -> Int? {
            guard offset + 4 <= data.count else { return nil }
            defer { offset += 4 }
            return Int(data[offset]) | Int(data[offset + 1]) << 8 | Int(data[offset + 2]) << 16 | Int(data[offset + 3]) << 24
        }

        mutating func string() -> String? {
            guard let count = integer(), offset + count <= data.count else { return nil }
            defer { offset += count }
            return String(decoding: data[offset..<(offset + count)], as: UTF8.self)
        }

        mutating func strings() -> [String]? {
            guard let count = integer(), count <= data.count else { return nil }
            var values: [String] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = string() else { return nil }
                values.append(value)
            }
            return values
        }
    }
}
