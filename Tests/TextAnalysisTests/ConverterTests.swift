import Foundation
import Testing

@testable import TextAnalysis

@Suite("OpenCC converter")
struct ConverterTests {
    // A missing configuration must be a typed, actionable error, not a crash.
    @Test("a missing configuration throws converterUnavailable")
    func missingConfiguration() {
        do {
            _ = try Analyzer(openCCConfiguration: "/nonexistent/anli/t2s.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .converterUnavailable)
            #expect(error.message.contains("/nonexistent/anli/t2s.json"))
            #expect(error.description.hasPrefix("converterUnavailable: "))
        }
    }

    // The absolute path, as well as the bare name the default analyser tries first, works.
    @Test("an explicit configuration path works")
    func explicitPath() throws {
        let analyzer = try Analyzer(openCCConfiguration: "/usr/share/opencc/t2s.json")
        #expect(analyzer.normalize("產教融合").normalized == "产教融合")
    }

    // One converter is shared by all threads without a lock (see ChineseConverter): many
    // concurrent conversions must all give the same answer.
    @Test("concurrent use of one analyser")
    func concurrency() async throws {
        let analyzer = try Analyzer()
        let input = String(repeating: "職業學校產教融合，ＡＩ賦能；乾隆年間的頭髮。", count: 200)
        let expected = analyzer.normalize(input)
        let results = await withTaskGroup(of: NormalizedText.self) { group in
            for _ in 0..<16 {
                group.addTask { analyzer.normalize(input) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }

    // OpenCC 1.1.6's t2s data never changes the number of characters, so the fallback for
    // when it does is exercised with a stand-in converter that expands 甲 to 甲乙 only
    // when it sees a whole run (as a phrase rule would).
    @Test("a conversion that changes the character count still maps offsets")
    func countChangingConversion() throws {
        let analyzer = Analyzer(convert: { input in
            let text = String(decoding: input, as: UTF8.self)
            let converted = text.count > 1 ? text.replacingOccurrences(of: "甲", with: "甲乙") : text
            return Array(converted.replacingOccurrences(of: "國", with: "国").utf8)
        })
        let input = "Ａ國甲國，甲"
        let text = analyzer.normalize(input)
        // Whole-text and run-by-run conversion both change the count of "國甲國", so that
        // run is converted character by character; the one-character run "甲" is kept.
        #expect(text.normalized == "a国甲国,甲")
        let tokens = analyzer.tokenize(text)
        #expect(tokens.map(\.text) == ["a", "国", "甲", "国", "甲"])
        #expect(tokens.map { String(text.originalText(forNormalized: $0.normalizedRange)) } == ["Ａ", "國", "甲", "國", "甲"])
    }

    // When only the whole-text call changes the count but each run alone keeps it, the
    // run-by-run result is used and aligned scalar by scalar.
    @Test("run-by-run fallback keeps per-run conversion")
    func runByRun() throws {
        let analyzer = Analyzer(convert: { input in
            let text = String(decoding: input, as: UTF8.self)
            let converted = text.contains(" ") ? text + "多" : text  // whole text only
            return Array(converted.replacingOccurrences(of: "業", with: "业").utf8)
        })
        let text = analyzer.normalize("職業 學業")
        #expect(text.normalized == "職业 學业")
        #expect(text.originalText(forNormalized: 3..<6) == "業")
        #expect(text.originalText(forNormalized: 7..<10) == "學")
    }

    // A converter failure (nil) leaves the text unconverted instead of dropping it.
    @Test("a failing converter keeps the folded text")
    func failingConverter() {
        let analyzer = Analyzer(convert: { _ in nil })
        let text = analyzer.normalize("ＡＩ職業")
        #expect(text.normalized == "ai職業")
        #expect(text.originalText(forNormalized: 2..<5) == "職")
    }
}

/// The folding-only analyser equals the full one on simplified text, and
/// `convertsChinese` tells the two kinds of text apart.
@Suite struct FoldingOnlyTests {
    @Test(arguments: ["职业学校", "ＡＩ赋能１＋Ｘ", "产教融合，校企合作。", "", "Ｃ＋＋ 与 96.43%"])
    func foldingOnlyEqualsFullAnalysisOnSimplifiedText(text: String) throws {
        let full = try Analyzer()
        #expect(!full.convertsChinese(text))
        #expect(Analyzer.foldingOnly.normalize(text).normalized == full.normalize(text).normalized)
        #expect(Analyzer.foldingOnly.tokenize(text) == full.tokenize(text))
    }

    @Test(arguments: ["職業學校", "產教融合", "學校與企業"])
    func traditionalTextIsDetected(text: String) throws {
        let full = try Analyzer()
        #expect(full.convertsChinese(text))
        #expect(Analyzer.foldingOnly.normalize(text).normalized != full.normalize(text).normalized)
    }
}
