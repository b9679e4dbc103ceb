/// Reads a table's logical structure out of its printed rows.
///
/// - A row whose leading cells are empty and that fills at most half the
///   columns continues the row above (`表 1-3`: one school, two 招生方向):
///   its cells are appended to the logical row's cells on a new line.
/// - A row whose leading cells are empty but that fills most columns repeats
///   the cell above (a merged cell, `表 1-2`'s 年度): the value is filled down.
/// - A header that repeats the same column names side by side (`表 6-3`: two
///   rankings next to each other) is split into parts, labelled by the
///   grouping line above it when there is one.
/// - Rows with more or fewer cells than the header are kept and reported.
struct TableLayout {
    struct Result {
        var header: [String]
        var parts: [Part]
        var warnings: [(line: Int, message: String)]
    }

    struct Part {
        var label: String?
        var header: [String]
        var rows: [LogicalRow]
    }

    struct LogicalRow {
        var cells: [String]
        var lines: ClosedRange<Int>
    }

    static func analyze(_ rows: [RawTable.Row]) -> Result {
        guard let first = rows.first else { return Result(header: [], parts: [], warnings: []) }
        var warnings: [(Int, String)] = []

        // Header, and the side-by-side split.
        var headerIndex = 0
        var partCount = repeatCount(first.cells)
        var labels: [String?] = []
        if rows.count > 1 {
            let below = repeatCount(rows[1].cells)
            let filled = first.cells.filter { !$0.isEmpty }.count
            if below > 1, filled <= below {
                headerIndex = 1
                partCount = below
            }
        }
        let header = rows[headerIndex].cells
        let width = partCount > 1 ? header.count / partCount : header.count
        if headerIndex == 1 {
            for part in 0..<partCount {
                let slice = Self.slice(first.cells, part: part, width: width)
                labels.append(slice.first { !$0.isEmpty })
            }
        } else {
            labels = Array(repeating: nil, count: partCount)
        }

        var parts: [Part] = []
        for part in 0..<partCount {
            let partHeader = Self.slice(header, part: part, width: width)
            var logical: [LogicalRow] = []
            for row in rows[(headerIndex + 1)...] {
                var cells = partCount > 1 ? Self.slice(row.cells, part: part, width: width) : row.cells
                if cells.allSatisfy(\.isEmpty) { continue }
                if partCount == 1, cells.count != partHeader.count {
                    let trailingEmpty = cells.count > partHeader.count && cells[partHeader.count...].allSatisfy(\.isEmpty)
                    if !trailingEmpty {
                        warnings.append((row.line, "table row has \(cells.count) cells, header has \(partHeader.count); kept as is"))
                    }
                }
                if cells.count > partHeader.count, cells[partHeader.count...].allSatisfy(\.isEmpty) {
                    cells = Array(cells[..<partHeader.count])
                }
                let leadingEmpty = cells.prefix { $0.isEmpty }.count
                let filled = cells.filter { !$0.isEmpty }.count
                if leadingEmpty > 0, var previous = logical.last {
                    if filled * 2 <= max(partHeader.count, cells.count) {
                        // Continuation: append to the logical row above.
                        for (index, cell) in cells.enumerated() where !cell.isEmpty {
                            while previous.cells.count <= index { previous.cells.append("") }
                            previous.cells[index] = previous.cells[index].isEmpty ? cell : previous.cells[index] + "\n" + cell
                        }
                        previous.lines = previous.lines.lowerBound...row.line
                        logical[logical.count - 1] = previous
                        continue
                    }
                    // A merged cell: fill it down.
                    for index in 0..<leadingEmpty where index < previous.cells.count {
                        cells[index] = previous.cells[index]
                    }
                }
                logical.append(LogicalRow(cells: cells, lines: row.line...row.line))
            }
            parts.append(Part(label: labels[part], header: partHeader, rows: logical))
        }
        return Result(header: header, parts: parts, warnings: warnings)
    }

    /// How many times the header's column names repeat side by side
    /// (`排名 学校名称 排名 学校名称` -> 2); 1 when they do not.
    private static func repeatCount(_ cells: [String]) -> Int {
        guard cells.count >= 4, !cells.contains(where: \.isEmpty) else { return 1 }
        for parts in stride(from: cells.count / 2, through: 2, by: -1) where cells.count % parts == 0 {
            let width = cells.count / parts
            let first = Array(cells[0..<width])
            if (1..<parts).allSatisfy({ Array(cells[($0 * width)..<(($0 + 1) * width)]) == first }) { return parts }
        }
        return 1
    }

    private static func slice(_ cells: [String], part: Int, width: Int) -> [String] {
        let start = part * width
        let end = start + width
        return (start..<end).map { $0 < cells.count ? cells[$0] : "" }
    }
}
