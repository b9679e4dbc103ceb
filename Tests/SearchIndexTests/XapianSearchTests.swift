import AnliTestSupport
import Foundation
import Testing

@testable import SearchIndex

@Suite struct XapianSearchTests {
    private func phrase(_ text: String) -> XapianQuery {
        XapianQuery.combine(
            .phrase, XapianFixture.tokens(text).enumerated().map { XapianQuery.term($1.text, position: $0 + 1) })
    }

    private func ids(_ database: XapianDatabase, _ query: XapianQuery, _ options: XapianSearchOptions = .init())
        throws -> Set<String>
    {
        Set(XapianFixture.ids(try database.search(query, options: options)))
    }

    @Test func andRequiresEveryTermAndOrAnyOfThem() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        // 产 and 教 appear together in d1, d2 (apart) and d4.
        #expect(try ids(database, .combine(.and, [.term("产"), .term("教")])) == ["d1", "d2", "d4"])
        #expect(try ids(database, .combine(.or, [.term("校"), .term("职")])) == ["d3", "d4", "d5"])
        #expect(try ids(database, .combine(.andNot, [.term("产"), .term("校")])) == ["d1", "d2"])
        // AND_MAYBE matches like its left side; the right side only adds weight.
        #expect(try ids(database, .combine(.andMaybe, [.term("校"), .term("职")])) == ["d3", "d4"])
        #expect(try ids(database, .matchAll) == ["d1", "d2", "d3", "d4", "d5"])
        #expect(try ids(database, .matchNothing) == [])
        // An empty term is not "everything" (as it would be in Xapian).
        #expect(try ids(database, .term("")) == [])
    }

    @Test func aPhraseOnlyMatchesAdjacentPositions() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        // d2 (产业融合教育) has every character of 产教融合 but not in a run.
        #expect(try ids(database, phrase("产教融合")) == ["d1", "d4"])
        #expect(try ids(database, phrase("融合教育")) == ["d2"])
        // Order matters for a phrase, not for NEAR.
        #expect(try ids(database, phrase("教产")) == [])
        let near = XapianQuery.combine(.near, [.term("教", position: 1), .term("产", position: 2)], parameter: 2)
        #expect(try ids(database, near) == ["d1", "d4"])
        // A wider window lets 合 … 教 (three apart in 产业融合教育) match.
        let wide = XapianQuery.combine(.phrase, [.term("合", position: 1), .term("育", position: 2)], parameter: 3)
        #expect(try ids(database, wide) == ["d2"])
    }

    @Test func filterRestrictsByBooleanTermsWithoutChangingWeights() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        let filtered = XapianQuery.combine(.filter, [.term("合"), .term("Kb")])
        #expect(try ids(database, filtered) == ["d3", "d4"])
        // Either of two schools: OR the filter terms.
        let either = XapianQuery.combine(.filter, [.term("合"), .combine(.or, [.term("Ka"), .term("Kc")])])
        #expect(try ids(database, either) == ["d1", "d2"])

        let plain = try database.search(.term("合"), options: .init())
        let withFilter = try database.search(filtered, options: .init())
        for hit in withFilter.hits {
            let same = try #require(plain.hits.first { $0.docid == hit.docid })
            #expect(abs(same.weight - hit.weight) < 1e-9)
        }
    }

    @Test func scalingWeightsChangesTheOrder() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        // 职 is only in d5, 企 in d3 and d4.
        let favourZhi = XapianQuery.combine(.or, [XapianQuery.term("职").scaled(by: 10), .term("企")])
        let favourQi = XapianQuery.combine(.or, [.term("职"), XapianQuery.term("企").scaled(by: 10)])
        #expect(XapianFixture.ids(try database.search(favourZhi, options: .init())).first == "d5")
        #expect(XapianFixture.ids(try database.search(favourQi, options: .init())).last == "d5")

        // Scaling multiplies the weight exactly; 0 makes a query boolean.
        let base = try #require(try database.search(.term("职"), options: .init()).hits.first).weight
        let doubled = try #require(try database.search(XapianQuery.term("职").scaled(by: 2), options: .init()).hits.first)
        #expect(abs(doubled.weight - 2 * base) < 1e-9)
        let boolean = try #require(try database.search(XapianQuery.term("职").scaled(by: 0), options: .init()).hits.first)
        #expect(boolean.weight == 0)
    }

    @Test func bm25ParametersReachXapian() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        // d1 (4 characters) and d4 (8) both hold 产 once: with length
        // normalisation (b = 0.75) the shorter wins; with b = 0 they tie.
        let normalised = try database.search(.term("产"), options: .init())
        let weight = { (matches: XapianMatches, id: String) in
            matches.hits.first { $0.data == Array(id.utf8) }!.weight
        }
        #expect(weight(normalised, "d1") > weight(normalised, "d4"))
        var flat = XapianSearchOptions()
        flat.b = 0
        let unnormalised = try database.search(.term("产"), options: flat)
        #expect(abs(weight(unnormalised, "d1") - weight(unnormalised, "d4")) < 1e-9)
    }

    @Test func totalsAreExactWithCheckAtLeast() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        // 500 units; 产 in every third, 教 in every fifth.
        let units = (0..<500).map { index in
            XapianFixtureUnit(
                id: "u\(index)", text: (index % 3 == 0 ? "产" : "业") + (index % 5 == 0 ? "教" : "育") + "学校",
                school: "a", schools: ["a"], year: 2000 + index % 20)
        }
        let database = try XapianFixture.build(units, in: directory)
        let query = XapianQuery.combine(.and, [.term("产"), .term("教")])
        let expected = units.filter { $0.text.contains("产") && $0.text.contains("教") }.count
        #expect(expected == 34)

        var options = XapianSearchOptions()
        options.limit = 3
        options.checkAtLeast = try database.documentCount
        let exact = try database.search(query, options: options)
        #expect(exact.hits.count == 3)
        #expect(exact.estimated == expected)
        #expect(exact.lowerBound == expected)
        #expect(exact.upperBound == expected)

        // Without checkAtLeast Xapian may stop early: only the bounds are promised.
        options.checkAtLeast = 0
        let quick = try database.search(query, options: options)
        #expect(quick.lowerBound <= expected && expected <= quick.upperBound)

        // Paging: offset + limit walk the same ranking.
        options.checkAtLeast = try database.documentCount
        options.limit = 40
        let all = try database.search(query, options: options).hits.map(\.docid)
        #expect(all.count == expected)
        options.offset = 30
        options.limit = 10
        #expect(try database.search(query, options: options).hits.map(\.docid) == Array(all[30...]))
    }

    @Test func sortsByAValueSlotInBothDirections() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        var options = XapianSearchOptions()
        options.sort = .value(slot: XapianFixture.yearSlot, descending: false)
        // Years: d2 2019, d5 2020, d1 2021, d3 2022, d4 2023.
        #expect(XapianFixture.ids(try database.search(.matchAll, options: options)) == ["d2", "d5", "d1", "d3", "d4"])
        options.sort = .value(slot: XapianFixture.yearSlot, descending: true)
        #expect(XapianFixture.ids(try database.search(.matchAll, options: options)) == ["d4", "d3", "d1", "d5", "d2"])
        #expect(XapianFixture.ids(try database.search(.term("合"), options: options)) == ["d4", "d3", "d1", "d2"])
    }

    @Test func valueRangesSelectYears() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        let range = XapianQuery.valueRange(
            slot: XapianFixture.yearSlot, from: XapianValue.sortable(2020), to: XapianValue.sortable(2022))
        #expect(try ids(database, range) == ["d5", "d1", "d3"])
        #expect(try ids(database, .combine(.filter, [.term("合"), range])) == ["d1", "d3"])
    }

    @Test func facetsAreCountedExactly() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        // The five fixture units plus 300 generated ones, some with a value
        // repeated inside the multi-valued slot (it must count once).
        var units = XapianFixture.units
        let schools = ["a", "b", "c", "d", "e", "f", "g"]
        for index in 0..<300 {
            let own = schools[index % schools.count]
            var many = [own, schools[(index * 3 + 1) % schools.count]]
            if index % 11 == 0 { many.append(own) }
            units.append(
                XapianFixtureUnit(
                    id: "g\(index)", text: index % 2 == 0 ? "校企合作" : "职业教育", school: own, schools: many,
                    year: 2000 + index % 7))
        }
        let database = try XapianFixture.build(units, in: directory)

        for (query, matches) in [
            (XapianQuery.term("合"), { (unit: XapianFixtureUnit) in unit.text.contains("合") }),
            (XapianQuery.matchAll, { (_: XapianFixtureUnit) in true }),
        ] {
            var options = XapianSearchOptions()
            options.limit = 0  // counting only
            options.checkAtLeast = try database.documentCount
            options.facetSlots = [XapianFixture.schoolSlot, XapianFixture.schoolsSlot, XapianFixture.yearSlot]
            options.multiValuedSlots = [XapianFixture.schoolsSlot]
            let result = try database.search(query, options: options)
            #expect(result.hits.isEmpty)

            // Brute force over the fixture.
            let matching = units.filter(matches)
            var single: [String: Int] = [:]
            var multi: [String: Int] = [:]
            for unit in matching {
                single[unit.school, default: 0] += 1
                for school in Set(unit.schools) { multi[school, default: 0] += 1 }
            }
            let decode = { (facet: [(value: [UInt8], count: Int)]) in
                Dictionary(uniqueKeysWithValues: facet.map { (String(decoding: $0.value, as: UTF8.self), $0.count) })
            }
            #expect(decode(try #require(result.facets[XapianFixture.schoolSlot])) == single)
            #expect(decode(try #require(result.facets[XapianFixture.schoolsSlot])) == multi)
            #expect(try #require(result.facets[XapianFixture.yearSlot]).map(\.count).reduce(0, +) == matching.count)

            // Sorted by count descending, then value.
            let multiFacet = try #require(result.facets[XapianFixture.schoolsSlot])
            for (earlier, later) in zip(multiFacet, multiFacet.dropFirst()) {
                #expect(
                    earlier.count > later.count
                        || (earlier.count == later.count && earlier.value.lexicographicallyPrecedes(later.value)))
            }
        }

        // The same slot counted as single-valued sees the joined bytes as one value.
        var options = XapianSearchOptions()
        options.checkAtLeast = try database.documentCount
        options.facetSlots = [XapianFixture.schoolsSlot]
        let joined = try #require(try database.search(.term("Qd3"), options: options).facets[XapianFixture.schoolsSlot])
        #expect(joined.map(\.value) == [XapianValue.multiValue(["a", "b"])])
    }

    @Test func matchingTermsAreTheQueryTermsInTheDocument() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        let query = XapianQuery.combine(.or, [.term("产"), .term("教"), .term("职"), .term("absent")])
        var options = XapianSearchOptions()
        options.includeMatchingTerms = true
        let matches = try database.search(query, options: options)
        let byID = Dictionary(uniqueKeysWithValues: matches.hits.map { (String(decoding: $0.data, as: UTF8.self), $0) })
        #expect(Set(try #require(byID["d1"]).matchingTerms) == ["产", "教"])
        #expect(Set(try #require(byID["d5"]).matchingTerms) == ["教", "职"])
        #expect(byID["d3"] == nil)
        // Not requested: not computed.
        #expect(try database.search(query, options: .init()).hits.allSatisfy { $0.matchingTerms.isEmpty })
    }

    @Test func descriptionIsXapians() {
        let query = XapianQuery.combine(.filter, [
            .combine(.phrase, [.term("产", position: 1), .term("教", position: 2)]), .term("Kb"),
        ])
        #expect(query.description == "Query(((产@1 PHRASE 2 教@2) FILTER Kb))")
        #expect(XapianQuery.term("产").scaled(by: 2).description == "Query(2 * 产)")
        #expect(XapianQuery.matchAll.description == "Query(<alldocuments>)")
        #expect(XapianQuery.matchNothing.description == "Query()")
    }

    /// Queries are immutable values: one built here is searched from several
    /// threads at once, each with its own reader.
    @Test func aQueryCanBeSharedAcrossThreads() async throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        _ = try XapianFixture.build(in: directory)
        let path = XapianFixture.path(directory)
        let query = XapianQuery.combine(.and, [.term("产"), XapianQuery.combine(.or, [.term("教"), .term("业")])])
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let database = try XapianDatabase(path: path)
                    var total = 0
                    for _ in 0..<200 { total += try database.search(query, options: .init()).hits.count }
                    return total
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == [600, 600, 600, 600])
    }
}
