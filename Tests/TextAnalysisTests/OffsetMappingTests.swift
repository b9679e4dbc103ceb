import Testing

@testable import TextAnalysis

/// Highlights are computed on normalised text and drawn on the original: every token must
/// point at exactly the characters the user sees.
@Suite("Offsets back into the original text")
struct OffsetMappingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        /// The original text of each token, in order.
        let originals: [String]
        let why: String
        var testDescription: String { input }
    }

    static let cases: [Case] = [
        Case(input: "ＡＩ赋能", originals: ["ＡＩ", "赋", "能"], why: "3-byte full-width letters -> 1-byte ASCII"),
        Case(input: "１＋Ｘ证书", originals: ["１＋Ｘ", "证", "书"], why: "full-width joiner inside a token"),
        Case(input: "通过率９６．４３％。", originals: ["通", "过", "率", "９６．４３％"], why: "full-width number"),
        Case(input: "產教融合", originals: ["產", "教", "融", "合"], why: "traditional characters"),
        Case(input: "ＡＩ職業學校", originals: ["ＡＩ", "職", "業", "學", "校"], why: "full-width then traditional"),
        Case(input: "第①名", originals: ["第", "①", "名"], why: "① (3 bytes) -> 1 (1 byte)"),
        Case(input: "ﬁle系统", originals: ["ﬁle", "系", "统"], why: "ﬁ (3 bytes) -> fi (2 bytes)"),
        Case(input: "㈠概况", originals: ["㈠", "概", "况"], why: "㈠ -> (一): 一 maps to the whole ㈠"),
        Case(input: "㍿", originals: ["㍿", "㍿", "㍿", "㍿"], why: "one original character, four tokens"),
        Case(input: "cafe\u{301} ok", originals: ["cafe\u{301}", "ok"], why: "decomposed accent composes"),
        Case(input: "ｶﾞｲﾄﾞ", originals: ["ｶﾞ", "ｲ", "ﾄﾞ"], why: "two scalars compose into one"),
        Case(input: "𠮷野家", originals: ["𠮷", "野", "家"], why: "4-byte ideograph"),
        Case(input: "👍ＡＩ👍產", originals: ["ＡＩ", "產"], why: "emoji around tokens"),
        Case(input: "Ｃ＋＋與Ｃ＃", originals: ["Ｃ＋＋", "與", "Ｃ＃"], why: "suffixes of full-width words"),
    ]

    @Test("token original ranges slice the visible original", arguments: cases)
    func tokenOriginals(_ c: Case) throws {
        let analyzer = try Analyzer()
        let text = analyzer.normalize(c.input)
        let tokens = analyzer.tokenize(text)
        let slices = tokens.map { Self.slice(c.input, $0.originalRange) }
        #expect(slices == c.originals, "\(c.why)")
        // originalText(forNormalized:) is the same thing through the public helper.
        #expect(tokens.map { String(text.originalText(forNormalized: $0.normalizedRange)) } == c.originals)
        // And the normalised range slices the token text out of the normalised string.
        #expect(tokens.map { Self.slice(text.normalized, $0.normalizedRange) } == tokens.map(\.text))
    }

    @Test("documented example: 產教融合，ＡＩ赋能")
    func documentedExample() throws {
        let text = try Analyzer().normalize("產教融合，ＡＩ赋能")
        #expect(text.normalized == "产教融合,ai赋能")
        #expect(text.originalRange(forNormalized: 13..<15) == 15..<21)
        #expect(text.originalText(forNormalized: 13..<15) == "ＡＩ")
        // The comma (1 byte) comes from "，" (3 bytes).
        #expect(text.originalText(forNormalized: 12..<13) == "，")
    }

    // Ranges that do not sit on token boundaries (a highlight over a phrase, a range ending
    // inside a multi-byte character, an out-of-range request) must still give whole
    // original characters.
    @Test("arbitrary and out-of-range ranges")
    func arbitraryRanges() throws {
        let text = try Analyzer().normalize("ＡＩ職業")  // normalised "ai职业": a i 职(2..<5) 业(5..<8)
        #expect(text.normalized == "ai职业")
        #expect(text.originalText(forNormalized: 0..<8) == "ＡＩ職業")
        #expect(text.originalText(forNormalized: 1..<5) == "Ｉ職")
        #expect(text.originalText(forNormalized: 3..<4) == "職")  // inside 职 -> whole 職
        #expect(text.originalRange(forNormalized: 2..<2) == 6..<6)  // empty stays empty
        #expect(text.originalRange(forNormalized: -5..<100) == 0..<12)  // clamped
        #expect(text.originalRange(forNormalized: 50..<60) == 12..<12)
    }

    @Test("empty text")
    func emptyText() throws {
        let analyzer = try Analyzer()
        let text = analyzer.normalize("")
        #expect(text.normalized.isEmpty)
        #expect(analyzer.tokenize(text).isEmpty)
        #expect(text.originalRange(forNormalized: 0..<0) == 0..<0)
        #expect(text.originalRange(forNormalized: 0..<3) == 0..<0)
    }

    // Stress: every token of a long mixed text maps to original bytes that normalise back
    // to the token text, and original ranges never go backwards.
    @Test("every token of a mixed paragraph round-trips")
    func roundTrip() throws {
        let analyzer = try Analyzer()
        let paragraph = String(
            repeating: "２０２４年，職業學校ＡＩ賦能「1+X證書」通過率９６．４３％；生師比１７．７６：１。①ﬁ㈠ ",
            count: 50)
        let text = analyzer.normalize(paragraph)
        var previous = 0
        for token in analyzer.tokenize(text) {
            let original = Self.slice(paragraph, token.originalRange)
            #expect(analyzer.normalize(original).normalized.contains(token.text), "\(original) vs \(token.text)")
            #expect(token.originalRange.lowerBound >= previous)
            previous = token.originalRange.lowerBound
        }
    }

    static func slice(_ s: String, _ range: Range<Int>) -> String {
        String(decoding: Array(s.utf8)[range], as: UTF8.self)
    }
}

/// The offset map on its own: segments, merging and lookups.
@Suite("OffsetMap")
struct OffsetMapTests {
    @Test("linear pieces merge, others stay atomic")
    func merging() {
        var map = OffsetMap()
        map.append(normalized: 1, original: 1, linear: true)  // "a"
        map.append(normalized: 3, original: 3, linear: true)  // "职"
        map.append(normalized: 1, original: 3, linear: false)  // "，" -> ","
        map.append(normalized: 1, original: 3, linear: false)  // "①" -> "1"
        map.append(normalized: 2, original: 2, linear: true)  // "ok"
        #expect(map.segmentCount == 4)
        #expect(map.originalStart(forNormalized: 1) == 1)
        #expect(map.originalEnd(forNormalized: 4) == 4)
        #expect(map.originalStart(forNormalized: 5) == 7)  // start of "①"
        #expect(map.originalEnd(forNormalized: 6) == 10)  // end of "①"
        #expect(map.originalEnd(forNormalized: 7) == 11)  // inside "ok"
    }

    // A piece that vanishes from the normalised text joins its neighbour instead of
    // leaving an empty segment that lookups could not reach.
    @Test("zero-length pieces are absorbed")
    func zeroLength() {
        var map = OffsetMap()
        map.append(normalized: 0, original: 2, linear: false)
        map.append(normalized: 1, original: 1, linear: true)
        map.append(normalized: 0, original: 3, linear: false)
        map.append(normalized: 1, original: 1, linear: true)
        #expect(map.originalStart(forNormalized: 0) == 0)
        #expect(map.originalEnd(forNormalized: 1) == 6)
        #expect(map.originalStart(forNormalized: 1) == 6)
        #expect(map.originalEnd(forNormalized: 2) == 7)
    }
}
