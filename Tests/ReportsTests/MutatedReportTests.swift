import AnliTestSupport
import Foundation
import Reports
import Testing

/// The parser on reports damaged the way PDF conversion damages them (and
/// worse): lines dropped, duplicated, swapped, cut, headings and table
/// markers shuffled. Every mutation parses or fails with a ReportError —
/// never a crash — and the units it yields keep their invariants.
@Suite struct MutatedReportTests {
    /// Deterministic (AnliTestSupport.SplitMix64), so failures reproduce.
    typealias Random = SplitMix64

    static let seedLines: [String] = {
        let text = try! String(contentsOf: Repository.corpus.appendingPathComponent("guangzhou-2024.md"), encoding: .utf8)
        return text.components(separatedBy: "\n")
    }()

    static let fragments = ["#", "## ", "### 案例 ", "表 1-1：", "图 2-3：", "\t", "|", "<sup>①</sup>", "**", "一、", "（二）", "【案例", "案例一：", "1.1.1 ", "## 目录", "续表 1-5", "数据来源：", "\u{0}", "\u{FEFF}", "😀", "́"]

    static func mutate(_ lines: [String], _ random: inout Random) -> [String] {
        var lines = lines
        for _ in 0..<(1 + random.below(12)) {
            guard !lines.isEmpty else { break }
            let index = random.below(lines.count)
            switch random.below(8) {
            case 0: lines.remove(at: index)
            case 1: lines.insert(lines[index], at: random.below(lines.count))
            case 2: lines.swapAt(index, random.below(lines.count))
            case 3:
                let line = lines[index]
                let cut = line.index(line.startIndex, offsetBy: random.below(line.count + 1))
                lines[index] = String(line[..<cut])
            case 4: lines[index] = fragments[random.below(fragments.count)] + lines[index]
            case 5: lines[index] += fragments[random.below(fragments.count)]
            case 6: lines.insert("", at: index)
            default: lines.removeSubrange(index..<min(lines.count, index + random.below(40)))
            }
        }
        return lines
    }

    @Test(arguments: 0..<8)
    func mutatedReportsParseOrFailCleanly(batch: Int) throws {
        let gazetteer = try Corpus(directory: Repository.corpus).gazetteer
        let parser = ReportParser(gazetteer: gazetteer)
        let info = ReportInfo(id: "m-2024", title: "t", region: "广州市", publisher: "p", year: 2024, academicYear: "2023-2024", published: "2024-12", file: "m.md")
        var random = Random(seed: UInt64(batch) &* 7919 &+ 17)
        for round in 0..<25 {
            let lines = Self.mutate(Self.seedLines, &random)
            do {
                let parsed = try parser.parse(text: lines.joined(separator: "\n"), info: info, file: "m.md")
                let ids = parsed.units.map(\.id)
                #expect(Set(ids).count == ids.count, "batch \(batch) round \(round): duplicate ids")
                for unit in parsed.units {
                    #expect(unit.lines.start >= 1 && unit.lines.end <= lines.count + 1, "batch \(batch) round \(round): \(unit.id) lines \(unit.lines)")
                    #expect(unit.id.hasPrefix("m-2024/"))
                }
            } catch let error as ReportError {
                // A damaged report may have nothing left to parse; that is a clean failure.
                #expect([ReportError.Code.noHeadings, .reportEmpty].contains(error.code), "batch \(batch) round \(round): \(error)")
            }
        }
    }
}
