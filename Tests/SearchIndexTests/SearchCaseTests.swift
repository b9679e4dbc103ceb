import AnliTestSupport
import Foundation
import Reports
import SearchIndex
import Testing

/// The data-driven search cases in Fixtures/searches.json, each on its own
/// temporary index of the seed corpus.
@Suite struct SearchCaseTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        var name: String
        var query: String
        var filters: [String: [String]]?
        var mustInclude: [String]?
        var mustExclude: [String]?
        var total: Int?
        var minTotal: Int?
        var sameAs: String?
        var exactFirst: String?
        var containsExactly: String?
        var allAbout: String?
        var topContains: String?

        var testDescription: String { name }
    }

    struct File: Decodable {
        var cases: [Case]
    }

    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "searches", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    func request(_ query: String, _ filters: [String: [String]]?) -> SearchRequest {
        var request = SearchRequest(query: query)
        for (name, values) in filters ?? [:] {
            request.filters[QueryField(rawValue: name)!] = values
        }
        return request
    }

    @Test(arguments: cases)
    func searchCase(_ testCase: Case) throws {
        let index = try TestIndex()
        let request = request(testCase.query, testCase.filters)
        let ids = try index.allIDs(request)
        let first = try index.searcher.search(request)
        #expect(first.total == ids.count, "total must be exact")

        for id in testCase.mustInclude ?? [] {
            #expect(ids.contains(id), "\(id) missing from \(testCase.query)")
        }
        for id in testCase.mustExclude ?? [] {
            #expect(!ids.contains(id), "\(id) should not match \(testCase.query)")
        }
        if let total = testCase.total { #expect(ids.count == total) }
        if let minimum = testCase.minTotal { #expect(ids.count >= minimum) }
        if let other = testCase.sameAs {
            #expect(Set(ids) == Set(try index.allIDs(self.request(other, nil))))
        }
        if let phrase = testCase.exactFirst {
            // Every unit containing the exact run ranks above every unit without it.
            let holds = try index.units.filter { try index.normalizedText($0).contains(phrase) }.map(\.id)
            #expect(!holds.isEmpty)
            let firstWithout = ids.firstIndex { !holds.contains($0) } ?? ids.count
            let lastWith = ids.lastIndex { holds.contains($0) } ?? -1
            #expect(lastWith < firstWithout, "a unit without \(phrase) ranks at \(firstWithout), one with it at \(lastWith)")
            #expect(Set(holds).isSubset(of: Set(ids)))
        }
        if let text = testCase.containsExactly {
            let holds = try index.units.filter { try index.normalizedText($0).contains(text) }.map(\.id)
            #expect(!holds.isEmpty)
            #expect(Set(ids) == Set(holds))
        }
        if let literal = testCase.topContains {
            let byID = Dictionary(uniqueKeysWithValues: index.units.map { ($0.id, $0) })
            let top = try #require(ids.first.flatMap { byID[$0] })
            #expect(try index.normalizedText(top).contains(literal), "top hit \(top.id) lacks \(literal)")
        }
        if let school = testCase.allAbout {
            let byID = Dictionary(uniqueKeysWithValues: index.units.map { ($0.id, $0) })
            #expect(!ids.isEmpty)
            #expect(ids.allSatisfy { byID[$0]?.schools.map(\.id).contains(school) == true })
            let kinds = testCase.filters?["kind"]
            let expected = index.units.filter { unit in
                unit.schools.map(\.id).contains(school) && (kinds?.contains(unit.kind.rawValue) ?? true)
            }
            #expect(Set(ids) == Set(expected.map(\.id)))
        }
    }
}
