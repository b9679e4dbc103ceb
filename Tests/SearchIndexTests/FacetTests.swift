import Foundation
import Reports
import SearchIndex
import Testing

/// Facet counts are exact over the whole match set, and multi-valued fields
/// (a case about two schools) count once for each value: compared with
/// brute-force counts over the parsed units.
@Suite struct FacetTests {
    @Test(arguments: ["产教融合", "", "学校", "技能大赛 kind:case", "\"人工智能\""])
    func facetsEqualBruteForceCounts(query: String) throws {
        let index = try TestIndex()
        var request = SearchRequest(query: query)
        request.facets = FacetField.allCases
        let results = try index.searcher.search(request)
        let ids = Set(try index.allIDs(request))
        let matching = index.units.filter { ids.contains($0.id) }
        #expect(results.total == matching.count)

        func counts(_ values: (ReportUnit) -> [String]) -> [String: Int] {
            var counts: [String: Int] = [:]
            for unit in matching {
                for value in Set(values(unit)) { counts[value, default: 0] += 1 }
            }
            return counts
        }
        let expected: [FacetField: [String: Int]] = [
            .school: counts { $0.schools.map(\.id) },
            .year: counts { [String($0.year)] },
            .kind: counts { [$0.kind.rawValue] },
            .chapter: counts { $0.chapter.map { [$0.number] } ?? [] },
            .district: counts(\.districts),
            .report: counts { [$0.report] },
            .dataYear: counts { $0.years.map(String.init) },
        ]
        for field in FacetField.allCases {
            let got = Dictionary(uniqueKeysWithValues: (results.facets[field.rawValue] ?? []).map { ($0.value, $0.count) })
            #expect(got == expected[field], "facet \(field.rawValue) for '\(query)'")
        }
    }

    @Test func facetValuesCarryLabels() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.facets = [.school, .kind, .chapter]
        let results = try index.searcher.search(request)
        let schools = try #require(results.facets["school"])
        #expect(schools.contains { $0.value == "gz-xinxi-jishu" && $0.label == "广州市信息技术职业学校" })
        #expect(results.facets["kind"]?.contains { $0.value == "case" && $0.label == "案例" } == true)
        #expect(results.facets["chapter"]?.contains { $0.value == "5" && $0.label == "5 产教融合" } == true)
        // Sorted by count, largest first.
        #expect(schools.map(\.count) == schools.map(\.count).sorted(by: >))
    }

    /// A chapter filter takes the chapter's title as well as its number;
    /// an unknown one is an error that lists the chapters.
    @Test func aChapterByTitleOrNumber() throws {
        let index = try TestIndex()
        var byNumber = SearchRequest(query: "")
        byNumber.filters[.chapter] = ["5"]
        var byTitle = byNumber
        byTitle.filters[.chapter] = ["产教融合"]
        let expected = try index.allIDs(byNumber)
        #expect(!expected.isEmpty)
        #expect(try index.allIDs(byTitle) == expected)
        #expect(try index.allIDs(SearchRequest(query: "chapter:產教融合")) == expected, "in the query, in traditional script too")
        var unknown = byNumber
        unknown.filters[.chapter] = ["第九章"]
        let error = #expect(throws: SearchError.self) { _ = try index.searcher.search(unknown) }
        #expect(error?.code == .badParameter)
        #expect(error?.message.contains("5 产教融合") == true, "\(error?.message ?? "")")
    }

    /// `year` is the report's year; `data_year` the years a unit's data and
    /// text refer to, 本年度 being the report's: 2023's 生师比 is in the 2024
    /// report's row 6-2.2.
    @Test func theYearsTheDataReferTo() throws {
        let index = try TestIndex()
        var byReportYear = SearchRequest(query: "生师比")
        byReportYear.filters = [.kind: ["row"], .year: ["2023"]]
        #expect(try index.searcher.search(byReportYear).total == 0)
        var byDataYear = byReportYear
        byDataYear.filters = [.kind: ["row"], .dataYear: ["2023"]]
        let ids = try index.allIDs(byDataYear)
        #expect(ids.contains("gz-2024/row/6-2.2"))
        let expected = index.units.filter { $0.kind == .row && $0.years.contains(2023) && (try? index.normalizedText($0).contains("生师比")) == true }
        #expect(Set(ids) == Set(expected.map(\.id)))
        // 本年度 is the report's year.
        let thisYear = try #require(index.units.first { $0.text.contains("本年度") && !$0.text.contains("2024") && !$0.title.contains("2024") })
        var request = SearchRequest(query: "data_year:2024")
        request.filters[.report] = [thisYear.report]
        #expect(try index.allIDs(request).contains(thisYear.id), "\(thisYear.id)")
        var range = SearchRequest(query: "")
        range.filters[.dataYear] = ["2019..2020"]
        #expect(Set(try index.allIDs(range)) == Set(index.units.filter { $0.years.contains { (2019...2020).contains($0) } }.map(\.id)))
    }

    @Test func perYearCountsComeFromTheYearFacet() throws {
        let index = try TestIndex()
        var request = SearchRequest(query: "产教融合")
        request.facets = [.year]
        let results = try index.searcher.search(request)
        #expect(results.facets["year"] == [FacetCount(value: "2024", label: "2024", count: results.total)])
    }
}
