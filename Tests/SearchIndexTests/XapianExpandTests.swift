import AnliTestSupport
import Foundation
import Testing

@testable import SearchIndex

/// "More like this" on an n-gram index: keep words, drop single characters,
/// prefixed terms and bigrams that straddle a word boundary.
@Suite struct XapianExpandTests {
    /// m1 is 新建产业学院 (+ the Latin word "ai"). Its bigrams 新建, 产业, 学院
    /// are words that occur elsewhere; 建产 and 业学 straddle word
    /// boundaries. Frequencies over the other units:
    ///   产 6 (m1, 产业发展 ×3, 生产实习 ×2)   业 14 (m1, 产业发展 ×3, 职业教育 ×10)
    ///   建 4 (m1, 新建实训基地, 学院建设 ×2)    学 3, 院 3, 新 2
    /// so association = tf(ab) / min(tf(a), tf(b)) is
    ///   新建 2/2 = 1   产业 4/6 ≈ 0.67   学院 3/3 = 1   建产 1/4 = 0.25   业学 1/3 ≈ 0.33
    private func build(in directory: TemporaryDirectory) throws -> XapianDatabase {
        var units = [XapianFixtureUnit(id: "m1", text: "新建产业学院 ai", school: "a", schools: ["a"], year: 2023)]
        let others: [(String, Int)] = [
            ("产业发展", 3), ("新建实训基地", 1), ("学院建设", 2), ("生产实习", 2), ("职业教育", 10), ("课程思政", 10),
        ]
        for (text, count) in others {
            for copy in 0..<count {
                units.append(.init(id: "\(text)-\(copy)", text: text, school: "b", schools: ["b"], year: 2020))
            }
        }
        return try XapianFixture.build(units, in: directory)
    }

    @Test func keepsWordsAndDropsCharactersPrefixesAndBoundaryBigrams() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try build(in: directory)
        #expect(try database.termFrequency("产") == 6)
        #expect(try database.termFrequency("业") == 14)
        #expect(try database.termFrequency("建") == 4)

        let terms = try database.expand(uniqueTerm: "Qm1", maxTerms: 50, minAssociation: 0.5)
        #expect(Set(terms.map(\.term)) == ["ai", "新建", "产业", "学院"])
        // Best first, all positive.
        #expect(terms.map(\.weight) == terms.map(\.weight).sorted(by: >))
        #expect(terms.allSatisfy { $0.weight > 0 })
    }

    @Test func theAssociationThresholdIsWhatDropsBoundaryBigrams() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try build(in: directory)
        // Threshold 0: every bigram passes, still no single characters or prefixed terms.
        let all = Set(try database.expand(uniqueTerm: "Qm1", maxTerms: 50, minAssociation: 0).map(\.term))
        #expect(all == ["ai", "新建", "建产", "产业", "业学", "学院"])
        // Between 0.33 and 0.67: 产业 stays, 业学 goes.
        let strict = Set(try database.expand(uniqueTerm: "Qm1", maxTerms: 50, minAssociation: 0.7).map(\.term))
        #expect(strict == ["ai", "新建", "学院"])
    }

    @Test func limitsAndUnknownDocuments() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try build(in: directory)
        #expect(try database.expand(uniqueTerm: "Qm1", maxTerms: 2, minAssociation: 0.5).count == 2)
        #expect(try database.expand(uniqueTerm: "Qnone", maxTerms: 10, minAssociation: 0.5).isEmpty)
        #expect(throws: XapianError.self) { try database.expand(uniqueTerm: "Qm1", maxTerms: -1, minAssociation: 0.5) }
    }
}
