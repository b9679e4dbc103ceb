import Foundation
import SearchIndex
import Testing

/// Every bad query or parameter is a typed error with a message that says
/// what is wrong, never a crash or an internal error.
@Suite struct QueryErrorTests {
    @Test(arguments: [
        ("\"产教融合", SearchError.Code.badQuery, "unbalanced quote"),
        ("(AI OR VR", .badQuery, "unbalanced parenthesis"),
        ("AI)", .badQuery, "unbalanced parenthesis"),
        ("()", .badQuery, "empty group"),
        ("AI OR", .badQuery, "needs something after it"),
        ("OR AI", .badQuery, "needs something before it"),
        ("tilte:赋能", .unknownField, "unknown field 'tilte'"),
        ("school:不存在的学校", .unknownSchool, "unknown school"),
        ("kind:poem", .badParameter, "unknown kind"),
        ("year:twenty", .badParameter, "year must be"),
        ("school:", .badQuery, "needs a value"),
        ("AND 产教", .badQuery, "AND at character 1 needs something before it"),
        ("产教 AND", .badQuery, "AND at character 4 needs something after it"),
        ("产教 AND OR 融合", .badQuery, "AND at character 4 needs something after it"),
        ("产教融合 NOT", .badQuery, "NOT at character 6 must be followed by what to exclude"),
        ("(产教 NOT) 融合", .badQuery, "NOT at character 5 must be followed by what to exclude"),
        ("a*b", .badQuery, "'*' at character 2 is only a prefix search at the end of a word"),
        ("*", .badQuery, "'*' at character 1"),
        ("ai赋*", .badQuery, "a prefix search takes one Latin word or number"),
        ("，*", .badQuery, "has no word or number before its '*'"),
    ])
    func badQueries(query: String, code: SearchError.Code, message: String) throws {
        let index = try TestIndex()
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.search(SearchRequest(query: query)) }
        #expect(error?.code == code)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.isCallerMistake == true)
    }

    @Test func hugeQueryIsRejected() throws {
        let index = try TestIndex()
        let error = #expect(throws: SearchError.self) {
            _ = try index.searcher.search(SearchRequest(query: String(repeating: "产教融合", count: 2500)))
        }
        #expect(error?.code == .badQuery)
    }

    @Test func tooManyFilterValuesAreRejected() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.filters[.year] = (0..<60).map { String(1990 + $0) }
        request.filters[.kind] = Array(repeating: "case", count: 41)
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.search(request) }
        #expect(error?.code == .badParameter)
        #expect(error?.context == "filters")
        request.filters[.kind] = ["case"]
        #expect(throws: Never.self) { _ = try index.searcher.search(request) }
    }

    @Test(arguments: [0, -1, 1_000_000_000])
    func limitOutOfRange(limit: Int) throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.limit = limit
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.search(request) }
        #expect(error?.code == .badParameter)
        #expect(error?.context == "limit")
    }

    @Test func offsetBeyondTheEndGivesAnEmptyPage() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.offset = 10_000
        let results = try index.searcher.search(request)
        #expect(results.hits.isEmpty)
        #expect(results.total > 0)
    }

    @Test func unknownFilterValues() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "")
        request.filters[.school] = ["不存在的学校"]
        #expect(throws: SearchError.self) { _ = try index.searcher.search(request) }
        request.filters = [.report: ["nope-1999"]]
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.search(request) }
        #expect(error?.code == .badParameter)
    }

    @Test func unknownUnit() throws {
        let index = try TestIndex()
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.unit("gz-2024/case/99-99") }
        #expect(error?.code == .unitNotFound)
    }

    @Test(arguments: ["AI 赋能 ChatGPT", "x 我 y", "a+b-c", "“现代学徒制”", "（AI OR VR）教学", "17.76:1", "-", "--", "OR", "\u{0}", "😀", "http://example"])
    func oddQueriesRunOrFailCleanly(query: String) throws {
        let index = try TestIndex()
        do {
            _ = try index.searcher.search(SearchRequest(query: query))
        } catch {
            #expect(error.isCallerMistake, "\(query): \(error)")
        }
    }
}

/// Random query strings built from the characters that matter to the
/// grammar and the analyser: every one runs or is a caller's mistake.
@Suite struct RandomQueryTests {
    static let pieces = ["产教融合", "AI", "ＡＩ", "產", "\"", "“", "”", "(", ")", "（", "）", "-", "－", "OR", "|", ":", "：", "title:", "school:", "kind:case", "year:2024", "year:1999..2100", "chapter:5", "district:增城区", "report:gz-2024", " ", "　", "1+X", "96.43%", "17.76:1", "😀", "\u{0}", "́", "学校", "*", "?", "\\", "%", "广城", "的"]

    @Test func randomQueriesRunOrFailAsCallerMistakes() throws {
        let index = try TestIndex()
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var ran = 0
        for _ in 0..<400 {
            let query = (0..<(1 + next(8))).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
            do {
                let results = try index.searcher.search(SearchRequest(query: query))
                let exact = results.hits.filter { $0.match == .exact }.count
                #expect(results.total >= exact)
                #expect(results.hits.prefix(exact).allSatisfy { $0.match == .exact }, "'\(query)': partial hits come last")
                ran += 1
            } catch {
                #expect(error.isCallerMistake, "'\(query)': \(error)")
            }
        }
        #expect(ran > 100)
    }
}
