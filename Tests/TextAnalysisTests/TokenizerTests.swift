import Testing

@testable import TextAnalysis

@Suite("Tokeniser")
struct TokenizerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let tokens: [String]
        let why: String
        var testDescription: String { input }
    }

    static let cases: [Case] = [
        // Latin next to CJK splits, as Xapian's own CJK handling does.
        Case(input: "AI赋能ChatGPT", tokens: ["ai", "赋", "能", "chatgpt"], why: "mixed Latin/CJK"),
        Case(input: "1+X证书", tokens: ["1+x", "证", "书"], why: "+ between alphanumerics joins"),
        Case(input: "１＋Ｘ證書", tokens: ["1+x", "证", "书"], why: "full-width and traditional"),
        Case(input: "通过率96.43%，", tokens: ["通", "过", "率", "96.43%"], why: "% after a number stays"),
        Case(input: "生师比17.76:1", tokens: ["生", "师", "比", "17.76:1"], why: ". and : inside numbers"),
        Case(input: "生师比17.76：1", tokens: ["生", "师", "比", "17.76:1"], why: "full-width colon too"),
        Case(input: "SK-2型", tokens: ["sk-2", "型"], why: "- between alphanumerics joins"),
        Case(input: "5G基站", tokens: ["5g", "基", "站"], why: "digits and letters form one word"),
        Case(input: "C++与C#", tokens: ["c++", "与", "c#"], why: "programming language names"),
        Case(input: "2023-2024学年", tokens: ["2023-2024", "学", "年"], why: "year ranges"),
        Case(input: "O2O模式", tokens: ["o2o", "模", "式"], why: "letter-digit-letter"),
        // A trailing + is a slogan suffix here ("互联网+", "AI+"); see Tokenizer's doc.
        Case(input: "3+证书", tokens: ["3", "证", "书"], why: "lone trailing + is dropped"),
        Case(input: "AI+教育", tokens: ["ai", "教", "育"], why: "a search for ai finds AI+"),
        Case(input: "互联网+教育", tokens: ["互", "联", "网", "教", "育"], why: "+ after CJK is punctuation"),
        Case(input: "“1+1+N”模式", tokens: ["1+1+n", "模", "式"], why: "chained joiners"),
        Case(input: "中高职3+2贯通", tokens: ["中", "高", "职", "3+2", "贯", "通"], why: "+ between digits"),
        Case(input: "node.js", tokens: ["node", "js"], why: ". joins only digits"),
        Case(input: "v1.2.3", tokens: ["v1.2.3"], why: "version numbers"),
        Case(input: "1，2，3", tokens: ["1", "2", "3"], why: "the Chinese comma is not a joiner"),
        Case(input: "R&D", tokens: ["r&d"], why: "& between letters"),
        Case(input: "1,000人", tokens: ["1", "000", "人"], why: "commas never join (see Tokenizer)"),
        Case(input: "G++编译", tokens: ["g++", "编", "译"], why: "++ after letters, then CJK"),
        Case(input: "ab#", tokens: ["ab"], why: "# only after a one-letter word"),
        Case(input: "2024-", tokens: ["2024"], why: "trailing - is dropped"),
        Case(input: "-5%", tokens: ["5%"], why: "leading - is dropped"),
        Case(input: "5%-10%", tokens: ["5%", "10%"], why: "% ends a token"),
        Case(input: "a--b", tokens: ["a", "b"], why: "two joiners in a row split"),
        Case(input: "ai", tokens: ["ai"], why: "plain word"),
        Case(input: "café naïve", tokens: ["café", "naïve"], why: "non-ASCII Latin letters"),
        Case(input: "ｶﾞｲﾄﾞ", tokens: ["ガ", "イ", "ド"], why: "kana are CJK unigrams"),
        Case(input: "한국어", tokens: ["한", "국", "어"], why: "Hangul syllables are CJK unigrams"),
        Case(input: "二〇二四年", tokens: ["二", "〇", "二", "四", "年"], why: "〇 is CJK, not a letter"),
        Case(input: "𠮷野家", tokens: ["𠮷", "野", "家"], why: "extension-B ideograph (4 bytes)"),
        Case(input: "葛\u{E0100}城", tokens: ["葛\u{E0100}", "城"], why: "variation selector stays with its character"),
        Case(input: "👍 好", tokens: ["好"], why: "emoji produce no tokens"),
        Case(input: "", tokens: [], why: "empty text"),
        Case(input: " ，。、\n", tokens: [], why: "only punctuation and space"),
    ]

    @Test("tokenises", arguments: cases)
    func tokenizes(_ c: Case) throws {
        let tokens = try Analyzer().tokenize(c.input)
        #expect(tokens.map(\.text) == c.tokens, "\(c.why)")
    }

    // Kinds let callers treat numbers differently (e.g. range facets later).
    @Test("kinds")
    func kinds() throws {
        let tokens = try Analyzer().tokenize("AI赋能 96.43% 1+X 2023-2024 5G")
        #expect(tokens.map(\.kind) == [.word, .cjk, .cjk, .number, .word, .number, .word])
    }

    // Phrase search relies on positions being 0, 1, 2, … with no gaps for dropped text.
    @Test("positions are consecutive from 0")
    func positionsAreConsecutive() throws {
        let tokens = try Analyzer().tokenize("产教融合，ＡＩ赋能！1+X证书 (96.43%) C++ 👍 職業學校")
        #expect(tokens.count == 16)
        #expect(tokens.map(\.position) == Array(0..<tokens.count))
    }

    // The n-gram helper is public so that the query side can decide the same way.
    @Test("isCJK")
    func isCJK() {
        let yes: [Unicode.Scalar] = ["职", "產", "〇", "々", "か", "カ", "한", "\u{20BB7}", "\u{3400}", "\u{F900}"]
        let no: [Unicode.Scalar] = ["a", "1", "，", "。", "、", "・", " ", "👍", "é"]
        for s in yes { #expect(Tokenizer.isCJK(s), "\(s)") }
        for s in no { #expect(!Tokenizer.isCJK(s), "\(s)") }
    }

    // classify answers common punctuation from ranges; none of it may be a letter, digit,
    // mark or CJK, or words would swallow punctuation.
    @Test("punctuation fast ranges hold no letters, digits or marks")
    func punctuationFastRanges() {
        let ranges: [ClosedRange<UInt32>] = [0x2000...0x206F, 0x3000...0x3029, 0x3030...0x303F]
        for range in ranges {
            for value in range where !Tokenizer.isCJK(Unicode.Scalar(value)!) {
                let p = Unicode.Scalar(value)!.properties
                let isWordPart = p.isAlphabetic || p.generalCategory == .decimalNumber
                    || [.nonspacingMark, .spacingMark, .enclosingMark].contains(p.generalCategory)
                #expect(!isWordPart, "U+\(String(value, radix: 16))")
                #expect(Tokenizer.classify(value) == .other)
            }
        }
    }

    struct BigramCase: Sendable, CustomTestStringConvertible {
        let input: String
        let bigrams: [String]
        let positions: [Int]
        let why: String
        var testDescription: String { input }
    }

    static let bigramCases: [BigramCase] = [
        BigramCase(input: "产教融合", bigrams: ["产教", "教融", "融合"], positions: [0, 1, 2], why: "overlapping pairs"),
        // Punctuation ends a run: no 合职 bigram across the comma.
        BigramCase(input: "融合，职业", bigrams: ["融合", "职业"], positions: [0, 2], why: "comma breaks runs"),
        // A Latin word between CJK characters ends the run too.
        BigramCase(input: "赋能AI教育", bigrams: ["赋能", "教育"], positions: [0, 3], why: "Latin breaks runs"),
        BigramCase(input: "好", bigrams: [], positions: [], why: "a single character has no bigram"),
        BigramCase(input: "好 人", bigrams: [], positions: [], why: "space breaks runs"),
        BigramCase(input: "職業", bigrams: ["职业"], positions: [0], why: "bigrams of normalised text"),
    ]

    @Test("CJK bigram filter", arguments: bigramCases)
    func bigrams(_ c: BigramCase) throws {
        let tokens = try Analyzer().tokenize(c.input)
        let bigrams = cjkBigrams(tokens)
        #expect(bigrams.map(\.text) == c.bigrams, "\(c.why)")
        #expect(bigrams.map(\.position) == c.positions, "\(c.why)")
        #expect(bigrams.allSatisfy { $0.kind == .cjk })
    }

    @Test("bigram ranges span both characters in both texts")
    func bigramRanges() throws {
        let analyzer = try Analyzer()
        let text = analyzer.normalize("職業")
        let bigram = try #require(cjkBigrams(analyzer.tokenize(text)).first)
        #expect(bigram.normalizedRange == 0..<6)
        #expect(bigram.originalRange == 0..<6)
    }
}
