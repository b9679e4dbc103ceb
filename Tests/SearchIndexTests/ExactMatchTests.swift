import AnliTestSupport
import Foundation
import Reports
@testable import SearchIndex
import Testing
import TextAnalysis

/// A hit is a unit that contains the query: `total`, the exact hits and
/// every facet count equal a brute-force count over the parsed units.
///
/// The oracle reads the units' text, not the index: a Chinese run matches
/// where the unit's normalised title or text contains it as a substring; a
/// word or number, or a sequence mixing them with Chinese (`ai赋能`, `双11`),
/// where the unit's tokens hold it in order (`ai` is not found in `aigc`).
/// A word also matches through its synonym forms (the synonym list and the
/// gazetteer's names), and a school's name finds the units about it.
@Suite struct ExactMatchTests {
    static let queries: [String] = [
        // Topic runs, short and long, common and rare.
        "产教融合", "校企合作", "现代学徒制", "技能大赛", "专业群", "乡村振兴", "劳动教育", "心理健康",
        "工匠精神", "职普融通", "新能源汽车", "实训基地", "生师比", "就业率", "达标率", "数字化", "国际化",
        // One and two characters; a bigram that straddles words; characters
        // that all occur but never as a run.
        "茶", "绣", "体育", "融合", "教融", "融产合", "教产融",
        // Two words the text separates by a comma (思想，点亮): not the run.
        "思想点亮", "引领广州", "能力开设", "评价打造",
        // Repeated characters, where every-other-bigram phrases could slip.
        "学校校本培训", "系统统计数据", "出行行业", "全体体育教师", "思政课课程", "层层示范",
        // Runs across the places where the parser joined a page break.
        "建设为抓手", "宣传品牌内涵", "是全国中学生", "数字中国建设整体布局规划", "满意度为87.95%",
        // Latin, numbers, mixes, full-width and traditional script.
        "AI", "ai赋能", "1+X", "1+X证书", "96.43%", "17.76:1", "SK-2", "双11", "cad", "ＡＩ", "產教融合",
        "\"uk enic\"", "\"校企合作\"",
        // Several words; a school's typo (a gazetteer form).
        "人工智能 教学", "产教融合 实训基地", "技能大赛 -世校赛", "广州市财经商贸职业许校",
    ]

    @Test func everyQueryMatchesExactlyTheUnitsThatContainIt() throws {
        let index = try TestIndex()
        let oracle = try Oracle(index: index)
        var checked = 0
        for query in Self.queries {
            var request = SearchRequest(query: query)
            request.facets = [.kind, .school, .year]
            let results = try index.searcher.search(request)
            let ids = Set(try index.allIDs(request))
            let expected = oracle.matching(query)
            #expect(ids == Set(expected.map(\.id)), "\(query): extra \(ids.subtracting(expected.map(\.id)).sorted()), missing \(Set(expected.map(\.id)).subtracting(ids).sorted())")
            #expect(results.total == expected.count, "\(query): total")
            #expect(facet(results, "kind") == counts(expected) { [$0.kind.rawValue] }, "\(query): kind facet")
            #expect(facet(results, "school") == counts(expected) { $0.schools.map(\.id) }, "\(query): school facet")
            #expect(facet(results, "year") == counts(expected) { [String($0.year)] }, "\(query): year facet")
            checked += 1
        }
        #expect(checked >= 30)
    }

    /// The characters of 融产合 and 教产融 all occur in the seed, often in
    /// the same unit, and the halves of 思想点亮 occur side by side with a
    /// comma between them, and yet no unit holds any of these runs: no
    /// match, and (one word) no partial hit either.
    @Test func scatteredCharactersAreNoMatch() throws {
        let index = try TestIndex()
        let oracle = try Oracle(index: index)
        #expect(oracle.matching("融产合").isEmpty && oracle.matching("教产融").isEmpty)
        // The seed writes 思想，点亮 and 评价，打造: each half occurs, the run not.
        #expect(oracle.matching("思想点亮").isEmpty && !oracle.matching("思想").isEmpty && !oracle.matching("点亮").isEmpty)
        #expect(oracle.matching("评价打造").isEmpty && !oracle.matching("评价").isEmpty && !oracle.matching("打造").isEmpty)
        #expect(!oracle.matching("融").isEmpty && !oracle.matching("产").isEmpty && !oracle.matching("合").isEmpty)
        for run in ["融产合", "教产融", "思想点亮", "评价打造"] {
            let results = try index.searcher.search(SearchRequest(query: run))
            #expect(results.total == 0, "\(run)")
            // 思想点亮 may follow as units holding 思想 and 点亮 (the partial
            // tier), but none of them is an exact hit.
            #expect(results.hits.allSatisfy { $0.match == .partial }, "\(run)")
        }
    }

    /// The run across the page break between lines 376 and 378 is found in
    /// the unit that holds it, once joined.
    @Test func runsAcrossJoinedPageBreaksAreFound() throws {
        let index = try TestIndex()
        for run in ["数字中国建设整体布局规划", "宣传品牌内涵", "建设为抓手"] {
            let results = try index.searcher.search(SearchRequest(query: run))
            #expect(results.total >= 1, "\(run)")
        }
    }

    private func facet(_ results: SearchResults, _ field: String) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: (results.facets[field] ?? []).map { ($0.value, $0.count) })
    }

    private func counts(_ units: [ReportUnit], _ values: (ReportUnit) -> [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for unit in units {
            for value in Set(values(unit)) { counts[value, default: 0] += 1 }
        }
        return counts
    }
}

/// Brute-force matching over the parsed units.
struct Oracle {
    struct Text {
        var normalized: String
        var tokens: [Token]
    }

    let analyzer: Analyzer
    let units: [ReportUnit]
    /// Title and body of each unit, apart (no run spans the two).
    let texts: [[Text]]
    let vocabulary: Vocabulary

    init(index: TestIndex) throws {
        analyzer = try Analyzer()
        units = index.units
        let documents = UnitDocument(terms: TermGenerator(analyzer: analyzer), ranking: .default)
        texts = units.map { unit in
            [documents.searchableTitle(unit), documents.searchableBody(unit)].map { text in
                let normalized = try! Analyzer().normalize(text)
                return Text(normalized: normalized.normalized, tokens: Tokenizer().tokens(in: normalized))
            }
        }
        vocabulary = index.searcher.vocabulary
    }

    /// Units matching a query of words, quoted phrases and `-exclusions`
    /// (what the test queries use).
    func matching(_ query: String) -> [ReportUnit] {
        var required: [[String]] = []  // each: the forms of one word
        var excluded: [[String]] = []
        var school: String?
        let quoted = query.hasPrefix("\"") && query.hasSuffix("\"")
        if quoted {
            required.append([String(query.dropFirst().dropLast())])
        } else {
            school = vocabulary.schoolID(named: query)
            for chunk in query.split(separator: " ") {
                let isExcluded = chunk.hasPrefix("-")
                let text = isExcluded ? String(chunk.dropFirst()) : String(chunk)
                for word in QueryCompiler.words(analyzer.tokenize(text)) {
                    let form = word.map(\.text).joined()
                    var forms = [form] + (vocabulary.synonyms[form] ?? [])
                    if forms.count == 1 {
                        // A word of several segments (ai赋能) also matches with
                        // one segment replaced by a synonym (人工智能赋能).
                        let segments = QueryCompiler.segments(word).map { $0.map(\.text).joined() }
                        for (position, segment) in segments.enumerated() where segments.count > 1 {
                            for other in vocabulary.synonyms[segment] ?? [] {
                                var variant = segments
                                variant[position] = other
                                forms.append(variant.joined())
                            }
                        }
                    }
                    if isExcluded { excluded.append(forms) } else { required.append(forms) }
                }
            }
        }
        return units.indices.filter { index in
            let contains = { (forms: [String]) in forms.contains { self.contains(index, $0) } }
            let about = school.map { units[index].schools.map(\.id).contains($0) } ?? false
            return (about || required.allSatisfy(contains)) && !excluded.contains(where: contains)
        }.map { units[$0] }
    }

    /// Whether unit `index` contains `form` (normalised first).
    func contains(_ index: Int, _ form: String) -> Bool {
        let wanted = analyzer.tokenize(form)
        guard !wanted.isEmpty else { return false }
        let run = analyzer.normalize(form).normalized
        if wanted.allSatisfy({ $0.kind == .cjk }), !run.contains(where: \.isWhitespace) {
            return texts[index].contains { $0.normalized.contains(run) }
        }
        return texts[index].contains { Self.holds($0.tokens, wanted) }
    }

    /// `tokens` hold `wanted` as consecutive tokens; Chinese characters
    /// written side by side in `wanted` are side by side there too.
    static func holds(_ tokens: [Token], _ wanted: [Token]) -> Bool {
        guard tokens.count >= wanted.count else { return false }
        for start in 0...(tokens.count - wanted.count) {
            var ok = true
            for offset in wanted.indices {
                let token = tokens[start + offset]
                if token.text != wanted[offset].text { ok = false; break }
                if offset > 0, wanted[offset - 1].touches(wanted[offset]),
                   !tokens[start + offset - 1].touches(token) { ok = false; break }
            }
            if ok { return true }
        }
        return false
    }
}

/// The bigrams whose phrase pins down a run (`QueryCompiler.cover`).
@Suite struct RunCoverTests {
    func cover(_ run: String) throws -> [Int] {
        QueryCompiler.cover(try Analyzer().tokenize(run))
    }

    @Test func everyOtherBigramAndTheLast() throws {
        #expect(try cover("产教") == [0])
        #expect(try cover("生师比") == [0, 1])
        #expect(try cover("产教融合") == [0, 2])
        #expect(try cover("现代学徒制") == [0, 2, 3])
        #expect(try cover("中高企协同长学制") == [0, 2, 4, 6])
    }

    /// 校校: 学校 @p and 校本 @p+1 would also fit 学校本, so the cover
    /// overlaps where a skipped bigram's two sides are the same character.
    @Test func overlapsWhereCharactersRepeat() throws {
        #expect(try cover("学校校本培训") == [0, 1, 3, 4])
        // Repeated inside one bigram is no ambiguity: 示范 cannot start on 层.
        #expect(try cover("层层示范") == [0, 2])
    }

    @Test func aCoverNamingOneBigramTwiceTakesAllBigrams() throws {
        #expect(try cover("哈哈哈哈") == [0, 1, 2])
    }
}
