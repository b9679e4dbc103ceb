import Foundation
import SearchIndex
import Testing

/// `SearchRequest` as URL query parameters: the encoding the daemon reads
/// and the CLI sends, read back to an equal request.
@Suite struct SearchRequestParametersTests {
    @Test func parametersReadBackToTheSameRequest() throws {
        var full = SearchRequest(query: "产教融合 -学徒")
        full.filters = [.school: ["广城", "gz-xinxi-jishu"], .year: ["2022..2024"], .kind: ["case"]]
        full.facets = [.school, .year, .kind]
        full.sort = .yearAscending
        full.offset = 20
        full.limit = 50
        full.snippetLength = 0
        full.explain = true
        full.partialHits = false
        for request in [SearchRequest(), SearchRequest(query: "AI"), full] {
            #expect(try SearchRequest(parameters: request.parameters) == request)
        }
        #expect(SearchRequest().parameters.isEmpty, "defaults are left out")
        #expect(full.parameters.map(\.name) == ["q", "school", "school", "year", "kind", "facets", "sort", "offset", "limit", "snippet", "explain", "partial"])
    }

    @Test func listsRepeatOrComeCommaSeparated() throws {
        let request = try SearchRequest(parameters: [("facets", "school, year"), ("facets", "kind"), ("kind", "case"), ("kind", " "), ("kind", "table")])
        #expect(request.facets == [.school, .year, .kind])
        #expect(request.filters[.kind] == ["case", "table"], "blank values are no filter")
    }

    @Test(arguments: [
        ("True", true), ("true", true), ("YES", true), ("on", true), ("1", true),
        ("False", false), ("no", false), ("OFF", false), ("0", false), (" false ", false),
    ])
    func booleans(text: String, value: Bool) throws {
        #expect(try SearchRequest.boolean(text, name: "explain") == value)
        #expect(try SearchRequest(parameters: [("partial", text)]).partialHits == value)
    }

    @Test(arguments: [
        ([("limit", "5"), ("limit", "6")], SearchError.Code.badParameter, "given 2 times"),
        ([("limit", "abc")], .badParameter, "limit must be a whole number"),
        ([("facets", "colour")], .unknownField, "unknown facet field 'colour'"),
        ([("sort", "random")], .badParameter, "unknown sort 'random'"),
        ([("explain", "maybe")], .badParameter, "explain must be true or false"),
    ])
    func unreadableValues(parameters: [(String, String)], code: SearchError.Code, message: String) throws {
        let error = #expect(throws: SearchError.self) { _ = try SearchRequest(parameters: parameters.map { (name: $0.0, value: $0.1) }) }
        #expect(error?.code == code)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.isCallerMistake == true)
    }
}
