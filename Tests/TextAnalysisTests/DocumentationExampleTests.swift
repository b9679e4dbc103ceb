import Testing

import TextAnalysis

/// The `///` examples in the sources, checked so that the documentation cannot drift.
@Suite("Documentation examples")
struct DocumentationExampleTests {
    @Test("Analyzer")
    func analyzer() throws {
        let analyzer = try Analyzer()
        #expect(analyzer.normalize("產教融合 ＡＩ").normalized == "产教融合 ai")
        #expect(analyzer.tokenize("1+X證書").map(\.text) == ["1+x", "证", "书"])
        #expect(analyzer.normalize("９６．４３％的職業學校").normalized == "96.43%的职业学校")
        #expect(analyzer.tokenize("AI赋能ChatGPT").map(\.text) == ["ai", "赋", "能", "chatgpt"])
    }

    @Test("NormalizedText")
    func normalizedText() throws {
        let analyzer = try Analyzer()
        let text = analyzer.normalize("職業")
        #expect(text.normalized == "职业")
        #expect(text.originalRange(forNormalized: 3..<6) == 3..<6)
        let certificate = analyzer.normalize("１＋Ｘ证书")
        #expect(certificate.normalized == "1+x证书")
        #expect(certificate.originalText(forNormalized: 0..<3) == "１＋Ｘ")
    }

    @Test("Token")
    func token() throws {
        let tokens = try Analyzer().tokenize("ＡＩ赋能")
        #expect(tokens.map(\.text) == ["ai", "赋", "能"])
        #expect(tokens.map(\.position) == [0, 1, 2])
        #expect(tokens[0].normalizedRange == 0..<2)
        #expect(tokens[0].originalRange == 0..<6)
    }

    @Test("Tokenizer and cjkBigrams")
    func tokenizer() throws {
        let analyzer = try Analyzer()
        #expect(Tokenizer().tokens(in: analyzer.normalize("1+X证书 96.43%")).map(\.text) == ["1+x", "证", "书", "96.43%"])
        let bigrams = cjkBigrams(analyzer.tokenize("产教融合，AI"))
        #expect(bigrams.map(\.text) == ["产教", "教融", "融合"])
        #expect(bigrams.map(\.position) == [0, 1, 2])
        #expect(Tokenizer.isCJK("职") && Tokenizer.isCJK("か"))
        #expect(!Tokenizer.isCJK("a") && !Tokenizer.isCJK("，"))
    }
}
