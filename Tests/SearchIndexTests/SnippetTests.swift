import Foundation
@testable import SearchIndex
import TextAnalysis
import Testing

/// Snippet markers cover exactly the query's words and phrases, on the text
/// as written.
@Suite struct SnippetTests {
    func marked(_ snippet: String) -> [String] {
        var out: [String] = []
        var rest = Substring(snippet)
        while let open = rest.firstIndex(of: "«"), let close = rest[open...].firstIndex(of: "»") {
            out.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    @Test func unquotedRunIsMarkedWholeNeverAsStrayCharacters() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.limit = 50
        let results = try index.searcher.search(request)
        for hit in results.hits {
            for mark in marked(hit.snippet ?? "") {
                // A mark is the run or a piece of it of two or more characters.
                #expect(mark.count >= 2 && "产教融合".contains(mark), "\(hit.id): «\(mark)»")
            }
        }
        let top = try #require(results.hits.first)
        #expect(marked(top.snippet ?? "").contains("产教融合"))
        #expect(top.matches?.contains("产教融合") == true)
    }

    @Test func traditionalQueryMarksTheSimplifiedText() throws {
        let index = try TestIndex()
        let results = try index.searcher.search(SearchRequest(query: "產教融合"))
        let marks = marked(results.hits.first?.snippet ?? "")
        #expect(marks.contains("产教融合"))
    }

    @Test func fullWidthQueryMarksTheTextAsWritten() throws {
        let index = try TestIndex()
        let results = try index.searcher.search(SearchRequest(query: "ＳＫ－２"))
        let hit = try #require(results.hits.first)
        #expect(marked(hit.snippet ?? "") == ["SK-2"])
    }

    @Test func phraseAndWordsAreMarked() throws {
        let index = try TestIndex()
        let results = try index.searcher.search(SearchRequest(query: "\"现代学徒制\" 广城"))
        let hit = try #require(results.hits.first)
        #expect(hit.id == "gz-2024/case/5-5")
        // 广城 is the school's short form: its canonical name is marked as a synonym.
        #expect(Set(marked(hit.snippet ?? "")).isSubset(of: ["现代学徒制", "广城", "广州市城市建设职业学校"]))
        #expect(marked(hit.snippet ?? "").contains("现代学徒制"))
    }

    @Test func snippetsAreAboutTheRequestedLength() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.snippetLength = 60
        for hit in try index.searcher.search(request).hits {
            let plain = (hit.snippet ?? "").replacingOccurrences(of: "«", with: "").replacingOccurrences(of: "»", with: "")
            #expect(plain.count <= 62, "\(hit.id): \(plain.count) characters")
        }
        request.snippetLength = 0
        #expect(try index.searcher.search(request).hits.allSatisfy { $0.snippet == nil })
    }
}

/// Where the snippet window falls on a long text, checked on text built for
/// the purpose (the seed's units exercise the rest).
@Suite struct SnippetWindowTests {
    let analyzer = try! Analyzer()

    func snippet(_ text: String, _ targets: [[String]], length: Int = 20) -> Snippet {
        Snippet.make(from: text, highlighting: targets, analyzer: analyzer, length: length, simplified: true)
    }

    @Test func aMarkNearTheEndMovesTheWindowBack() {
        let text = String(repeating: "甲", count: 100) + "产教融合" + "乙乙"
        let result = snippet(text, [["产", "教", "融", "合"]])
        #expect(result.text == "…" + String(repeating: "甲", count: 14) + "«产教融合»乙乙")
        #expect(result.matches == ["产教融合"])
    }

    @Test func aMarkInTheMiddleShowsContextBeforeItAndCutsAfter() {
        let text = String(repeating: "甲", count: 50) + "产教" + String(repeating: "乙", count: 50)
        // length / 5 = 4 characters before the mark.
        #expect(snippet(text, [["产", "教"]]).text == "…甲甲甲甲«产教»" + String(repeating: "乙", count: 14) + "…")
    }

    @Test func theWindowWithMostMarksWins() {
        let text = "产教" + String(repeating: "甲", count: 40) + "产教乙产教乙产教" + String(repeating: "丙", count: 40)
        let result = snippet(text, [["产", "教"]])
        #expect(result.matches == ["产教", "产教", "产教"])
        #expect(result.text.hasPrefix("…甲甲甲甲«产教»"))
    }

    @Test func shortTextIsWholeWithoutEllipsesAndLinesBecomeSpaces() {
        let result = snippet("学校\n产教融合，好", [["产", "教"]])
        #expect(result.text == "学校 «产教»融合，好")
    }

    @Test func noMarkStartsAtTheBeginningAndCountsCharactersNotBytes() {
        let text = "ＡＢ" + String(repeating: "字", count: 30)
        #expect(snippet(text, [["无", "关"]], length: 5).text == "ＡＢ字字字…")
    }
}
