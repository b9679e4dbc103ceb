import Testing

@testable import TextAnalysis

@Suite("Normalisation: NFKC, lowercase, traditional -> simplified")
struct NormalizationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let expected: String
        let why: String
        var testDescription: String { "\(input) -> \(expected)" }
    }

    static let cases: [Case] = [
        // Xapian 1.4 treats full-width Latin as CJK and never lowercases it.
        Case(input: "ＡＩ", expected: "ai", why: "full-width letters fold to ASCII, then lowercase"),
        // The "1+X certificate" programme is written with full-width digits and plus.
        Case(input: "１＋Ｘ", expected: "1+x", why: "full-width digits and operator"),
        // Percentages in reports often use full-width digits, point and percent sign.
        Case(input: "９６．４３％", expected: "96.43%", why: "full-width number with decimals"),
        // U+3000 must become an ordinary space so that it separates words.
        Case(input: "职业\u{3000}教育", expected: "职业 教育", why: "ideographic space"),
        Case(input: "BIM技术", expected: "bim技术", why: "ASCII upper case"),
        // Traditional and simplified spellings of the same term must meet in the index.
        Case(input: "產教融合", expected: "产教融合", why: "traditional -> simplified"),
        Case(input: "職業學校", expected: "职业学校", why: "traditional -> simplified"),
        Case(input: "資訊", expected: "资讯", why: "traditional -> simplified"),
        // OpenCC's phrase table keeps 乾 in 乾隆 (character by character it would be 干).
        Case(input: "乾隆", expected: "乾隆", why: "phrase conversion needs context"),
        Case(input: "头发", expected: "头发", why: "simplified text is left alone"),
        // NFKC changes lengths: the offset map must cope (see OffsetMappingTests).
        Case(input: "①", expected: "1", why: "circled digit"),
        Case(input: "ﬁle", expected: "file", why: "ligature expands to two letters"),
        Case(input: "㈠", expected: "(一)", why: "parenthesised ideograph expands to three scalars"),
        Case(input: "㍿", expected: "株式会社", why: "one square symbol becomes four ideographs"),
        // Foundation's NFKC on Linux leaves カ + U+3099 uncomposed; real NFKC gives ガ.
        Case(input: "ｶﾞ", expected: "ガ", why: "half-width kana with voiced mark composes"),
        Case(input: "e\u{301}", expected: "é", why: "combining sequence composes (NFC part of NFKC)"),
        Case(input: "⼀", expected: "一", why: "Kangxi radical becomes the unified ideograph"),
        Case(input: "Ⅻ", expected: "xii", why: "Roman numeral decomposes, then lowercases"),
        Case(input: "ÀÉÎ", expected: "àéî", why: "non-ASCII Latin lowercases"),
        Case(input: "℃", expected: "°c", why: "degree Celsius sign decomposes and lowercases"),
        Case(input: "", expected: "", why: "empty text"),
    ]

    @Test("normalises", arguments: cases)
    func normalizes(_ c: Case) throws {
        let analyzer = try Analyzer()
        let text = analyzer.normalize(c.input)
        // Compare scalars, not Strings: String's == treats canonically equivalent text as
        // equal, so "カ" + U+3099 would pass for "ガ".
        #expect(Array(text.normalized.unicodeScalars) == Array(c.expected.unicodeScalars), "\(c.why)")
        #expect(Array(text.original.utf8) == Array(c.input.utf8))
    }

    // Index and query both run the analyser; analysing a query that is already normalised,
    // or re-indexing stored normalised text, must not drift.
    static let idempotenceSamples: [String] = [
        "產教融合，ＡＩ赋能ChatGPT：１＋Ｘ证书通过率９６．４３％",
        "①②③ ﬁﬂ ㈠㈡ ㍿ ｶﾞｷﾞ ㄱㅏ e\u{301}\u{302} İstanbul ΣΑΣ ß ẞ",
        "\u{0}產\u{0}業",
        "👨‍👩‍👧‍👦🇨🇳 emoji\u{FE0F} 葛\u{E0100}",
        "\u{301}開頭是組合符號",
        "乾隆 著作 後來 裡面 頭髮",
    ]

    @Test("normalize(normalize(x)) == normalize(x)", arguments: idempotenceSamples)
    func idempotent(_ sample: String) throws {
        let analyzer = try Analyzer()
        let once = analyzer.normalize(sample).normalized
        #expect(Array(analyzer.normalize(once).normalized.unicodeScalars) == Array(once.unicodeScalars))
    }

    // The fast path copies these scalars without asking Foundation; if one of them did
    // change under NFKC or lowercasing, indexed text would differ from query text.
    @Test("fast-path scalars really are NFKC- and case-invariant")
    func fastPathIsInvariant() {
        var wrong: [String] = []
        let ranges: [ClosedRange<UInt32>] = [
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC...0x30FE,
            0xAC00...0xD7A3, 0x20000...0x2A6DF, 0x2A700...0x2EE5F, 0x30000...0x323AF,
        ]
        for range in ranges {
            for value in range where Folder.isFoldingInvariant(value) {
                let s = String(Unicode.Scalar(value)!)
                if !Folder.fold(s).unicodeScalars.elementsEqual(s.unicodeScalars) { wrong.append(String(value, radix: 16)) }
            }
        }
        // Scalars just outside the fast path must not be claimed by it.
        #expect(!Folder.isFoldingInvariant(0xF900))  // CJK compatibility ideograph 豈
        #expect(!Folder.isFoldingInvariant(0x2F800))  // compatibility supplement
        #expect(!Folder.isFoldingInvariant(0x309F))  // ゟ -> より
        #expect(wrong.isEmpty, "changed by folding: \(wrong.prefix(20))")
    }

    // continuesUnit answers common punctuation from ranges instead of Unicode properties;
    // the ranges must agree with the properties, or NFKC could miss a composition.
    @Test("unit-continuation fast ranges agree with Unicode properties")
    func continuationFastRanges() {
        let ranges: [ClosedRange<UInt32>] = [
            0x2010...0x206F, 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x3130, 0xFF00...0xFF9D,
        ]
        for range in ranges {
            for value in range {
                let p = Unicode.Scalar(value)!.properties
                let joins = p.canonicalCombiningClass != .notReordered || p.isGraphemeExtend
                    || p.generalCategory == .spacingMark
                #expect(!joins, "U+\(String(value, radix: 16)) joins the previous scalar")
            }
        }
        // And the scalars just outside them do join.
        for value: UInt32 in [0x200C, 0x200D, 0x302A, 0x3099, 0xFF9E, 0x0301, 0x1161, 0x314F] {
            #expect(Folder.continuesUnit(value), "U+\(String(value, radix: 16))")
        }
    }

    // Folding unit by unit is only right if NFKC never composes across a unit boundary.
    // Check every pair of scalars that take part in compositions (Hangul jamo of all three
    // kinds, kana and their voicing marks, combining marks, Indic two-part vowels) against
    // NFKC of the pair as a whole.
    @Test("unit-by-unit folding equals folding the whole text")
    func unitsDoNotCompose() {
        var values: [UInt32] = [0x41, 0x61, 0x3D, 0x3C, 0xAC00, 0xAC01, 0xD7A3, 0x3000, 0xFF0C]
        values += Array(0x1100...0x1112) + Array(0x1161...0x1175) + Array(0x11A8...0x11C2)
        values += Array(0x3131...0x318E) + Array(0xFFA0...0xFFDC).filter { Unicode.Scalar($0) != nil }
        values += [0x304B, 0x30AB, 0xFF76, 0x3099, 0x309A, 0x309B, 0xFF9E, 0xFF9F, 0x30FD]
        values += [0x300, 0x301, 0x308, 0x327, 0x338, 0x345, 0x200C, 0x200D, 0xFE0F]
        values += [0x0B47, 0x0B3E, 0x0B57, 0x0CC6, 0x0CC2, 0x0CD5, 0x0DD9, 0x0DCF, 0x1025, 0x102E, 0x09C7, 0x09BE]
        let scalars = values.compactMap(Unicode.Scalar.init).map { String($0) }
        var wrong: [String] = []
        for a in scalars {
            for b in scalars {
                var pair = a + b
                var folder = Folder()
                let byUnit = pair.withUTF8 { String(decoding: folder.fold($0).0, as: UTF8.self) }
                if !byUnit.unicodeScalars.elementsEqual(Folder.fold(pair).unicodeScalars) {
                    wrong.append(pair.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: "+"))
                }
            }
        }
        #expect(wrong.isEmpty, "composes across units: \(wrong.prefix(20))")
    }

    // Odd input must never crash or lose the original.
    static let oddInputs: [String] = [
        "👍🏽", "🏳️‍🌈", "\u{0}", "a\u{0}b", "\u{FEFF}BOM", "\u{200B}零宽", "\u{D7FF}\u{E000}\u{10FFFF}",
        "\u{301}\u{301}\u{301}", "\u{1100}\u{1161}\u{11A8}", "\u{FDFA}", String(repeating: "產", count: 5000),
        "\r\n\t", "𠮷野家", "🀄️中",
    ]

    @Test("odd scalars are handled", arguments: oddInputs)
    func oddScalars(_ input: String) throws {
        let analyzer = try Analyzer()
        let text = analyzer.normalize(input)
        #expect(Array(text.original.utf8) == Array(input.utf8))
        let tokens = analyzer.tokenize(text)
        for token in tokens {
            #expect(token.originalRange.lowerBound >= 0)
            #expect(token.originalRange.upperBound <= input.utf8.count)
            #expect(token.normalizedRange.upperBound <= text.normalized.utf8.count)
        }
        #expect(text.originalRange(forNormalized: 0..<text.normalized.utf8.count) == 0..<input.utf8.count)
    }

    // NUL stops OpenCC; the per-run fallback must still convert text after it.
    @Test("text after a NUL is still converted")
    func nulDoesNotTruncate() throws {
        let text = try Analyzer().normalize("a\u{0}產業")
        #expect(text.normalized == "a\u{0}产业")
    }
}
