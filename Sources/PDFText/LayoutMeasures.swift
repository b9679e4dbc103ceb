/// What a document's body text looks like, measured over all its pages: the
/// font size most characters are set in, the left margin and right edge of
/// its lines, the width of one character and the distance between lines.
/// The rebuilder judges every line against these, so no size or margin is
/// fixed in code.
struct LayoutMeasures {
    var bodySize: Double
    /// Points per character of body text (one CJK character's width).
    var em: Double
    var leftMargin: Double
    var rightEdge: Double
    /// Distance between the tops of two lines of one body paragraph.
    var pitch: Double
    /// Font sizes larger than the body's, largest first: heading levels.
    var headingSizes: [Double]

    init(lines: [TextLine]) {
        var sizeWeights: [Double: Int] = [:]
        for line in lines { sizeWeights[line.size, default: 0] += line.characterCount }
        let bodySize = sizeWeights.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 10
        self.bodySize = bodySize
        let body = lines.filter { abs($0.size - bodySize) <= bodySize * 0.05 }
        // Per word, not per line: a line's extent includes the gaps between
        // table cells.
        let widths = body.flatMap(\.words).filter { $0.text.count >= 2 }.map { ($0.x1 - $0.x0) / Double($0.text.count) }.sorted()
        let em = widths.isEmpty ? bodySize : widths[widths.count / 2]
        self.em = em
        leftMargin = Self.mode(body.map(\.x0), step: 1) ?? 0
        rightEdge = Self.mode(body.filter { $0.characterCount >= 10 }.map(\.x1), step: 1) ?? (body.map(\.x1).max() ?? 0)
        var steps: [Double] = []
        for (above, below) in zip(body, body.dropFirst()) where above.page == below.page {
            let step = below.y0 - above.y0
            if step > 0 { steps.append(step) }
        }
        pitch = Self.mode(steps, step: 0.5) ?? em * 1.5
        let large = Set(sizeWeights.keys.filter { $0 > bodySize * 1.08 })
        self.headingSizes = large.sorted(by: >)
    }

    /// The heading level (1 = largest) of a line set in `size`, nil for text.
    func headingLevel(_ size: Double) -> Int? {
        guard size > bodySize * 1.08, let index = headingSizes.firstIndex(where: { abs($0 - size) < 0.05 }) else { return nil }
        return min(index + 1, 6)
    }

    /// The most common value, after rounding to `step`.
    static func mode(_ values: [Double], step: Double) -> Double? {
        var counts: [Double: Int] = [:]
        for value in values { counts[(value / step).rounded() * step, default: 0] += 1 }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
