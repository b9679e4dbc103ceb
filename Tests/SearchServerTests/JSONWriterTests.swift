import AnliTestSupport
import Foundation
import Reports
import SearchIndex
@testable import SearchServer
import Testing

/// The daemon writes its busy routes' JSON by hand (`JSONWriter`); clients
/// and the CLI's `--json` expect exactly what `JSONEncoder` writes
/// (`SearchAPI.encode`). Every comparison here is byte for byte.
@Suite struct JSONWriterTests {
    /// JSONEncoder's bytes and the writer's, as text for a readable failure.
    static func expectSameJSON<Value: Encodable & JSONWritable>(
        _ value: Value, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = String(decoding: SearchAPI.encode(value), as: UTF8.self)
        let written = String(decoding: value.jsonBytes(), as: UTF8.self)
        #expect(written == expected, comment, sourceLocation: sourceLocation)
    }

    // MARK: - Strings and numbers

    /// Every ASCII control character, then the characters JSON escapes or
    /// might: the quote, the backslash, the slash (not escaped here), DEL,
    /// the Unicode line and paragraph separators (JSONEncoder leaves them
    /// raw), a BOM, and characters of 2, 3 and 4 UTF-8 bytes.
    static let awkwardStrings: [String] = [
        String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0)! })),
        "\"", "\\", "/", "\\\"", "a/b\\c\"d", "http://example.org/a?b=c",
        "\u{7F}", "\u{2028}\u{2029}", "\u{FEFF}", "é", "产教融合", "😀", "e\u{301}",
        "", " ", "«产教»融合…", "end\n", "\tstart", "\r\n", "\u{0}mid\u{1F}",
    ]

    @Test func stringsAreEscapedAsJSONEncoderDoes() {
        for text in Self.awkwardStrings {
            Self.expectSameJSON([text], "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        Self.expectSameJSON(Self.awkwardStrings)
    }

    @Test func dictionaryKeysAreEscapedAndSortedAsJSONEncoderDoes() {
        // Byte order, not case-insensitive or numeric order: "B" < "_" < "a", "a10" < "a2".
        var dictionary: [String: [String]] = [:]
        for (offset, key) in (Self.awkwardStrings + ["b", "a", "B", "Z", "_", "a10", "a2", "中职", "人工智能", "AI"]).enumerated() {
            dictionary[key] = [String(offset)]
        }
        Self.expectSameJSON(dictionary)
        Self.expectSameJSON([String: Int]())
    }

    static let awkwardNumbers: [Double] = [
        0, -0.0, 1, -1, 3, 0.5, 0.1, 1.0 / 3, -2.5, 100_000, 12.345678901234567,
        1e15, 1e16, 123_456_789_012_345, 9_007_199_254_740_992, 1e21, -1.5e300,
        1e-4, 1e-5, 0.000123, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]

    @Test func doublesArePrintedAsJSONEncoderDoes() {
        for number in Self.awkwardNumbers {
            Self.expectSameJSON([number], "\(number)")
        }
        Self.expectSameJSON(Self.awkwardNumbers)
    }

    @Test func integersAndBooleans() {
        Self.expectSameJSON([0, 1, -1, 9, 10, -10, 2024, Int.max, Int.min])
        Self.expectSameJSON([true, false])
        Self.expectSameJSON([[Int]](), "an empty array")
        Self.expectSameJSON([[1, 2], [], [3]], "nested arrays")
    }

    @Test func nonFiniteNumbersAreWrittenAsZero() {
        // JSON has no NaN or infinity and JSONEncoder throws on them; the
        // writer keeps the answer readable instead (see JSONWriter.number).
        for number in [Double.nan, .infinity, -.infinity] {
            #expect(String(decoding: [number, 1.5].jsonBytes(), as: UTF8.self) == "[0,1.5]")
        }
    }

    @Test func nullAndOmittedFields() {
        var json = JSONWriter(reservingCapacity: 0)
        json.beginObject()
        json.field("a", nil as String?)
        json.field("b", 1)
        json.field("c", nil as Int?)
        json.key("d")
        json.null()
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"b":1,"d":null}"#)
    }

    // MARK: - Search results

    struct Search: CustomStringConvertible {
        var request: SearchRequest
        /// Why the case is here.
        var why: String
        var description: String { "\(request.query) (\(why))" }

        init(_ query: String, why: String, _ configure: (inout SearchRequest) -> Void = { _ in }) {
            request = SearchRequest(query: query)
            self.why = why
            configure(&request)
        }
    }

    static let searches: [Search] = [
        Search("产教融合", why: "a common phrase, every facet") { $0.facets = FacetField.allCases; $0.limit = 10 },
        Search("AI 中职", why: "synonyms of two words: a dictionary with several keys") { $0.explain = true },
        Search("人工智能", why: "explain: terms with weights, origins and frequencies") { $0.explain = true; $0.facets = [.kind] },
        Search("思政课", why: "snippets off: no snippet or matches keys") { $0.snippetLength = 0; $0.limit = 20 },
        Search("广州城建", why: "nothing found: suggestions") { $0.facets = [.school] },
        Search("\"校企合作\" -广城", why: "quotes in the query text are escaped") { $0.offset = 3 },
        Search("1+X", why: "a synonym key with ASCII punctuation") { $0.explain = true; $0.facets = [.school, .chapter] },
        Search("title:技能大赛", why: "a title query: title terms in explain") { $0.explain = true },
        Search("", why: "browse with filters: no query, sorted by year") {
            $0.filters = [.kind: ["table", "row"]]
            $0.sort = .yearAscending
            $0.facets = [.district, .year, .report]
        },
        Search("学生", why: "many hits, a full page with long snippets") { $0.limit = 100; $0.snippetLength = 400 },
        Search("没有这个词语啊", why: "no hits: empty arrays and objects") { $0.facets = [.school] },
    ]

    @Test func searchResultsAreJSONEncodersBytes() throws {
        let directory = try TemporaryDirectory(prefix: "anli-json")
        let index = directory.url.appendingPathComponent("index")
        _ = try IndexBuilder(corpus: Repository.corpus, index: index).build()
        let searcher = try Searcher(index: index)
        var sawSynonyms = false
        var sawExplain = false
        for search in Self.searches {
            let results = try searcher.search(search.request)
            sawSynonyms = sawSynonyms || (results.synonyms?.count ?? 0) > 1
            sawExplain = sawExplain || results.hits.contains { $0.explain?.terms.isEmpty == false }
            Self.expectSameJSON(results, "\(search)")
            let field = search.request.facets.first ?? .kind
            Self.expectSameJSON(
                FacetValues(field: field.rawValue, query: search.request.query, total: results.total, values: results.facets[field.rawValue] ?? []),
                "facet values of \(search)")
        }
        #expect(sawSynonyms && sawExplain, "the cases cover synonyms and explain")
        for id in ["gz-2024/case/1-12", "gz-2024/table/6-2", "gz-2024/section/1.1"] {
            Self.expectSameJSON(try searcher.related(to: id, limit: 5, kinds: []), "related to \(id)")
        }
    }

    // MARK: - Units

    @Test func everySeedUnitIsJSONEncodersBytes() throws {
        let units = try Corpus(directory: Repository.corpus).parseAll().flatMap(\.units)
        #expect(units.count > 200)
        for unit in units {
            Self.expectSameJSON(unit, "\(unit.id)")
        }
        // What the seed exercises, so that a field left out of the writer
        // cannot hide behind a nil.
        #expect(units.contains { $0.table != nil } && units.contains { $0.row != nil })
        #expect(units.contains { $0.parent != nil } && units.contains { !$0.footnotes.isEmpty })
    }

    @Test func aUnitWithEveryOptionalField() throws {
        // Decoded from JSON, since some of these types have no public
        // initializer; every optional is set, including those the seed may
        // lack (table parts and source, a row's part, a part's label).
        let json = #"""
        {"chapter":{"number":"6","title":"保障"},"districts":["天河区"],"figures":["r/figure/1"],
         "footnotes":[{"line":12,"marker":"①","text":"注 \"一\""}],"headings":["6. 保障"],"id":"r/table/6-2",
         "kind":"table","lines":{"end":20,"start":10},"mentionedSchools":[{"id":"s2","name":"乙校"}],"number":"6-2","parent":"r/section/6",
         "report":"r","row":{"caption":"表","cells":[{"header":"年份","number":2024,"unit":"年","value":"2024年"}],"index":1,"part":"甲","table":"r/table/6-2"},
         "schools":[{"id":"s1","name":"甲校"}],"sectionPath":["6"],"table":{"caption":"表 6-2","header":["a","b"],
         "parts":[{"header":["a"],"label":"2023-2024 学年","rows":[["1"]]},{"header":["b"],"rows":[]}],
         "rows":[["1","2"],[]],"source":"数据来源：教育局"},"tables":["r/table/6-3"],"text":"第一行\n\t第二行\\","title":"标题",
         "tocTitle":"目录标题","year":2024,"years":[2023,2024]}
        """#
        let unit = try JSONDecoder().decode(ReportUnit.self, from: Data(json.utf8))
        Self.expectSameJSON(unit)
    }

    @Test func jsonLinesHaveNoSeparatorBetweenDocuments() throws {
        let units = try Corpus(directory: Repository.corpus).parseAll().flatMap(\.units).prefix(5)
        var json = JSONWriter(reservingCapacity: 0)
        for unit in units {
            unit.write(to: &json)
            json.endLine()
        }
        let expected = units.map { SearchAPI.encode($0) + [UInt8(ascii: "\n")] }.joined()
        #expect(json.bytes == Array(expected))
    }

    // MARK: - The routes

    @Test func routesSendJSONEncodersBytes() async throws {
        try await TestDaemon.with { daemon in
            let searcher = try Searcher(index: daemon.indexURL)
            for id in ["gz-2024/case/1-12", "gz-2024/row/6-2.2"] {
                let response = try await daemon.get("/v1/units/\(id)")
                #expect(response.body == SearchAPI.encode(try searcher.unit(id)), "\(id)")
            }
            let related = try await daemon.get("/v1/units/gz-2024/case/1-12/related?limit=3")
            #expect(related.body == SearchAPI.encode(try searcher.related(to: "gz-2024/case/1-12", limit: 3)))

            var request = SearchRequest(query: "产教融合")
            request.facets = [.school]
            request.limit = 1
            request.snippetLength = 0
            let results = try searcher.search(request)
            let facets = try await daemon.get("/v1/facets/school?q=\(formEncoded("产教融合"))")
            #expect(facets.body == SearchAPI.encode(FacetValues(field: "school", query: "产教融合", total: results.total, values: results.facets["school"] ?? [])))

            // Export: more than one page (100 units), one unit per line.
            var all = SearchRequest(query: "")
            all.filters = [.kind: ["case", "figure"]]
            all.limit = SearchRequest.maximumLimit
            all.snippetLength = 0
            var expected: [UInt8] = []
            while true {
                let page = try searcher.search(all)
                for hit in page.hits { expected += SearchAPI.encode(try searcher.unit(hit.id)) + [UInt8(ascii: "\n")] }
                if page.hits.count < all.limit { break }
                all.offset += all.limit
            }
            #expect(all.offset >= SearchRequest.maximumLimit, "the export spans pages")
            let export = try await daemon.get("/v1/export?kind=case&kind=figure")
            #expect(export.status == 200)
            #expect(export.body == expected)

            // The search route's bytes differ from run to run only in took_us.
            let search = try await daemon.get("/v1/search?q=\(formEncoded("AI 中职"))&explain=true&facets=school")
            var searchRequest = SearchRequest(query: "AI 中职")
            searchRequest.explain = true
            searchRequest.facets = [.school]
            var local = try searcher.search(searchRequest)
            local.tookMicroseconds = try #require(try search.json()["took_us"] as? Int)
            #expect(search.body == SearchAPI.encode(local))
        }
    }
}
