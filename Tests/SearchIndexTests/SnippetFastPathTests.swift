import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing
import TextAnalysis

/// The snippet fast path (byte search on the text as written) gives exactly
/// what the general path (normalise, tokenise, map back) gives, on every
/// unit of the seed and targets of every kind.
@Suite struct SnippetFastPathTests {
    static let targets: [[[String]]] = [
        [["产", "教", "融", "合"]],                       // a run
        [["校", "企", "合", "作"], ["产", "业", "学", "院"]], // two runs
        [["教"]],                                          // one character
        [["ai"], ["人", "工", "智", "能"]],                // a word and its synonym
        [["1+x"]], [["96.43%"]], [["17.76:1"]], [["sk-2"]], [["bim"]], [["vr"]],
        [["青", "木", "直", "通", "车"]],                   // no exact run: pieces of it
        [["ai", "赋", "能"]],                              // mixed: the general path
    ]

    @Test func fastPathEqualsGeneralPathOnEveryUnit() throws {
        let analyzer = try Analyzer()
        let units = try Corpus(directory: Repository.corpus).parseAll().flatMap(\.units)
        var fast = 0
        for unit in units where !analyzer.convertsChinese(unit.title + "\n" + unit.text) {
            let text = unit.text.isEmpty ? unit.title : unit.text
            for targets in Self.targets {
                let general = Snippet.make(from: text, highlighting: targets, analyzer: .foldingOnly, length: 120)
                let direct = Snippet.make(from: text, highlighting: targets, analyzer: .foldingOnly, length: 120, simplified: true)
                #expect(direct == general, "\(unit.id) \(targets)")
                if DirectMatcher.marks(in: text, targets: targets) != nil { fast += 1 }
            }
        }
        // The fast path is actually taken for most of them.
        #expect(fast > units.count * Self.targets.count / 2)
    }

    @Test func fullWidthTextTakesTheGeneralPath() {
        #expect(DirectMatcher.marks(in: "就业率为９６．４３％", targets: [["96.43%"]]) == nil)
        #expect(DirectMatcher.marks(in: "ＡＩ赋能", targets: [["ai"]]) == nil)
        // Full-width Chinese punctuation does not stop a CJK target.
        #expect(DirectMatcher.marks(in: "产教融合，校企合作", targets: [["产", "教", "融", "合"]]) == [0..<12])
    }

    @Test func wordsMatchOnWordBoundariesOnly() {
        #expect(DirectMatcher.marks(in: "said AI and ai", targets: [["ai"]]) == [5..<7, 12..<14])
        #expect(DirectMatcher.marks(in: "AIGC 与 AI赋能", targets: [["ai"]]) == [9..<11])
    }
}
