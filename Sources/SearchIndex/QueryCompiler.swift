import Foundation
import Reports
import TextAnalysis

/// What a matched term stands for, for `explain`.
public enum TermOrigin: String, Codable, Sendable {
    /// A word or number as typed, or a character of a quoted phrase.
    case literal
    /// A character or bigram of an unquoted Chinese run.
    case ngram
    /// A form from the synonym list (`corpus/synonyms.json`).
    case synonym
}

/// A query tree turned into a Xapian query, with what the snippet should
/// highlight and where each term came from.
struct CompiledQuery {
    /// nil when the query has no text to match (browse, or filters only).
    var match: XapianQuery?
    /// Boolean filters from the query text (`school:`…) and the parameters.
    var filters: [XapianQuery] = []
    /// Token sequences to mark in snippets: each phrase, run and word.
    var highlights: [[String]] = []
    /// term -> origin, for explain. Title terms are keyed without their prefix.
    var origins: [String: TermOrigin] = [:]
    /// The synonym forms that were added, by the literal they stand for.
    var synonymsUsed: [String: [String]] = [:]

    /// The query to run: the match (or every document), filtered.
    var xapianQuery: XapianQuery {
        let base = match ?? .matchAll
        guard !filters.isEmpty else { return base }
        return .combine(.filter, [base, filters.count == 1 ? filters[0] : .combine(.and, filters)])
    }
}

/// Compiles `QueryNode` trees and structured filters into Xapian queries.
///
/// An unquoted Chinese run `产教融合` matches units holding all its
/// characters (as Xapian's QueryParser would), but ranks by its bigrams and,
/// above all, by the exact run (a phrase of its characters): units that say
/// 产教融合 come before units where the characters only occur apart.
struct QueryCompiler {
    let analyzer: Analyzer
    let vocabulary: Vocabulary
    let ranking: Ranking

    func compile(_ node: QueryNode?, filters: [QueryField: [String]]) throws(SearchError) -> CompiledQuery {
        var compiled = CompiledQuery()
        if let node {
            compiled.match = try compile(node, into: &compiled, negated: false)
        }
        for field in QueryField.allCases where field.isFilter {
            guard let values = filters[field], !values.isEmpty else { continue }
            var alternatives: [XapianQuery] = []
            for value in values {
                alternatives += try filterTerms(field, value).map { XapianQuery.term($0) }
            }
            compiled.filters.append(alternatives.count == 1 ? alternatives[0] : .combine(.or, alternatives))
        }
        return compiled
    }

    // MARK: - Nodes

    private func compile(_ node: QueryNode, into compiled: inout CompiledQuery, negated: Bool) throws(SearchError) -> XapianQuery? {
        switch node {
        case .text(let text):
            return textQuery(text, prefix: "", into: &compiled, record: !negated)
        case .phrase(let text):
            return phraseQuery(text, prefix: "", into: &compiled, record: !negated)
        case .field(.title, let value, let quoted):
            return quoted
                ? phraseQuery(value, prefix: IndexSchema.Prefix.title, into: &compiled, record: !negated)
                : textQuery(value, prefix: IndexSchema.Prefix.title, into: &compiled, record: !negated)
        case .field(let field, let value, _):
            let terms = try filterTerms(field, value).map { XapianQuery.term($0) }
            return terms.count == 1 ? terms[0] : .combine(.or, terms)
        case .not(let inner):
            // A lone exclusion: everything except it.
            guard let excluded = try compile(inner, into: &compiled, negated: !negated) else { return nil }
            return .combine(.andNot, [.matchAll, excluded])
        case .or(let alternatives):
            var queries: [XapianQuery] = []
            for alternative in alternatives {
                if let query = try compile(alternative, into: &compiled, negated: negated) { queries.append(query) }
            }
            return queries.isEmpty ? nil : (queries.count == 1 ? queries[0] : .combine(.or, queries))
        case .and(let items):
            var required: [XapianQuery] = []
            var excluded: [XapianQuery] = []
            for item in items {
                if case .not(let inner) = item {
                    if let query = try compile(inner, into: &compiled, negated: !negated) { excluded.append(query) }
                } else if let query = try compile(item, into: &compiled, negated: negated) {
                    required.append(query)
                }
            }
            var result: XapianQuery?
            if !required.isEmpty { result = required.count == 1 ? required[0] : .combine(.and, required) }
            if !excluded.isEmpty {
                let exclusion = excluded.count == 1 ? excluded[0] : XapianQuery.combine(.or, excluded)
                result = .combine(.andNot, [result ?? .matchAll, exclusion])
            }
            return result
        }
    }

    // MARK: - Text

    /// Words, numbers and CJK runs of unquoted text, ANDed. A text that is
    /// a synonym form as a whole (`3D打印`) or a segment that is one (`AI`)
    /// also matches the other forms of its group, weighted lower.
    private func textQuery(_ text: String, prefix: String, into compiled: inout CompiledQuery, record: Bool) -> XapianQuery? {
        let segments = Self.segments(analyzer.tokenize(text))
        guard !segments.isEmpty else { return nil }
        if record { compiled.highlights += segments.map { $0.map(\.text) } }
        let whole = segments.joined().map(\.text).joined()
        if prefix.isEmpty, let school = vocabulary.schoolID(named: text) {
            // The text names a school: its units rank first, and units about
            // it match even where it is written another way.
            let about = XapianQuery.term(IndexSchema.Prefix.aboutSchool + school).scaled(by: ranking.aboutSchoolWeight)
            compiled.origins[IndexSchema.Prefix.aboutSchool + school] = .synonym
            let literal = textQuery(segments: segments, whole: whole, prefix: prefix, into: &compiled, record: record)
            return .combine(.or, [literal, about])
        }
        return textQuery(segments: segments, whole: whole, prefix: prefix, into: &compiled, record: record)
    }

    private func textQuery(
        segments: [[Token]], whole: String, prefix: String, into compiled: inout CompiledQuery, record: Bool
    ) -> XapianQuery {
        if segments.count > 1, prefix.isEmpty, let others = vocabulary.synonyms[whole] {
            let literal = allSegmentsQuery(segments, prefix: prefix, into: &compiled, origin: .literal)
            return withSynonyms(literal, form: whole, others: others, into: &compiled, record: record)
        }
        var parts: [XapianQuery] = []
        for segment in segments {
            let literal = segmentQuery(segment, prefix: prefix, into: &compiled)
            let form = segment.map(\.text).joined()
            if prefix.isEmpty, let others = vocabulary.synonyms[form], !others.isEmpty {
                parts.append(withSynonyms(literal, form: form, others: others, into: &compiled, record: record))
            } else {
                parts.append(literal)
            }
        }
        return parts.count == 1 ? parts[0] : .combine(.and, parts)
    }

    /// `literal OR (its synonyms, scaled down)`: the form typed ranks first.
    private func withSynonyms(
        _ literal: XapianQuery, form: String, others: [String], into compiled: inout CompiledQuery, record: Bool
    ) -> XapianQuery {
        var alternatives: [XapianQuery] = []
        for other in others {
            let otherSegments = Self.segments(analyzer.tokenize(other))
            guard !otherSegments.isEmpty else { continue }
            alternatives.append(allSegmentsQuery(otherSegments, prefix: "", into: &compiled, origin: .synonym))
            if record { compiled.highlights += otherSegments.map { $0.map(\.text) } }
        }
        guard !alternatives.isEmpty else { return literal }
        compiled.synonymsUsed[form] = others
        // OP_SYNONYM weighs the forms as if they were one term, so a unit
        // using any form gets a comparable share; the literal form, added
        // again at full weight, keeps units that use it on top.
        let anyForm = XapianQuery.combine(.synonym, [literal] + alternatives)
        return .combine(.or, [literal, anyForm.scaled(by: ranking.synonymWeight)])
    }

    /// A quoted phrase: every token, in order, adjacent.
    private func phraseQuery(_ text: String, prefix: String, into compiled: inout CompiledQuery, record: Bool) -> XapianQuery? {
        let tokens = analyzer.tokenize(text)
        guard !tokens.isEmpty else { return nil }
        if record { compiled.highlights.append(tokens.map(\.text)) }
        for token in tokens { compiled.origins[token.text] = .literal }
        let terms = tokens.map { XapianQuery.term(prefix + $0.text, position: $0.position + 1) }
        return terms.count == 1 ? terms[0] : .combine(.phrase, terms, parameter: terms.count)
    }

    /// Every segment of a form (`生成式ai`: the run 生成式 and the word ai),
    /// as `AND_MAYBE(AND(what each must match), OR(what each ranks by))`.
    ///
    /// That has the weights and matches of `AND(segment queries)`, but no
    /// AND_MAYBE under an AND: under OP_SYNONYM, where these forms go,
    /// Xapian 1.4.22 leaves the AND's maximum weights uninitialised and
    /// passes garbage thresholds down, so an AND_MAYBE there turns into an
    /// AND at random — the same query then ranked differently from one run
    /// to the next (found with MALLOC_PERTURB_, in Python's bindings too).
    private func allSegmentsQuery(_ segments: [[Token]], prefix: String, into compiled: inout CompiledQuery, origin: TermOrigin) -> XapianQuery {
        let parts = segments.map { segmentParts($0, prefix: prefix, into: &compiled, origin: origin) }
        if parts.count == 1 { return parts[0].query }
        let required = XapianQuery.combine(.and, parts.map(\.match))
        let ranking = parts.compactMap(\.ranking)
        return ranking.isEmpty ? required : .combine(.andMaybe, [required, ranking.count == 1 ? ranking[0] : .combine(.or, ranking)])
    }

    /// One segment: a word or number, or a run of adjacent CJK characters.
    private func segmentQuery(_ segment: [Token], prefix: String, into compiled: inout CompiledQuery, origin: TermOrigin = .literal) -> XapianQuery {
        segmentParts(segment, prefix: prefix, into: &compiled, origin: origin).query
    }

    /// A segment's query in two parts: what a unit must match, and what only
    /// ranks (a run's bigrams and the exact run; nil for a single token).
    private func segmentParts(
        _ segment: [Token], prefix: String, into compiled: inout CompiledQuery, origin: TermOrigin
    ) -> (match: XapianQuery, ranking: XapianQuery?, query: XapianQuery) {
        if segment.count == 1 {
            compiled.origins[segment[0].text] = origin
            let term = XapianQuery.term(prefix + segment[0].text)
            return (term, nil, term)
        }
        for token in segment { compiled.origins[token.text] = origin == .synonym ? .synonym : .ngram }
        let characters = segment.enumerated().map { XapianQuery.term(prefix + $0.element.text, position: $0.offset + 1) }
        var bigrams: [XapianQuery] = []
        for index in 0..<(segment.count - 1) {
            let bigram = segment[index].text + segment[index + 1].text
            compiled.origins[bigram] = origin == .synonym ? .synonym : .ngram
            bigrams.append(.term(prefix + bigram))
        }
        let allCharacters = XapianQuery.combine(.and, characters).scaled(by: ranking.characterWeight)
        let exactRun = XapianQuery.combine(.phrase, characters, parameter: characters.count).scaled(by: ranking.exactRunWeight)
        let rankingPart = XapianQuery.combine(.or, bigrams + [exactRun])
        return (allCharacters, rankingPart, .combine(.andMaybe, [allCharacters, rankingPart]))
    }

    /// Splits tokens into segments: each run of CJK characters adjacent in
    /// the normalised text is one segment, every other token its own.
    static func segments(_ tokens: [Token]) -> [[Token]] {
        var segments: [[Token]] = []
        for token in tokens {
            if token.kind == .cjk, let last = segments.last?.last, last.kind == .cjk,
               last.normalizedRange.upperBound == token.normalizedRange.lowerBound {
                segments[segments.count - 1].append(token)
            } else {
                segments.append([token])
            }
        }
        return segments
    }

    // MARK: - Filters

    private static let kindNames: [String: UnitKind] = [
        "section": .section, "case": .case, "table": .table, "row": .row, "figure": .figure,
        "章节": .section, "节": .section, "案例": .case, "表": .table, "表格": .table, "行": .row, "表行": .row,
        "图": .figure, "图片": .figure,
    ]

    /// Boolean terms for one filter value (several for a year range).
    func filterTerms(_ field: QueryField, _ rawValue: String) throws(SearchError) -> [String] {
        let value = rawValue.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else {
            throw SearchError(.badParameter, "\(field.rawValue) needs a value", context: field.rawValue)
        }
        switch field {
        case .title:
            throw SearchError(.badParameter, "title is a text field, not a filter", context: field.rawValue)
        case .school:
            return [IndexSchema.Prefix.school + (try vocabulary.schoolID(for: value))]
        case .kind:
            guard let kind = Self.kindNames[value.lowercased()] else {
                throw SearchError(.badParameter, "unknown kind '\(value)'; kinds are section, case, table, row, figure", context: "kind")
            }
            return [IndexSchema.Prefix.kind + kind.rawValue]
        case .year:
            return try Self.years(value).map { IndexSchema.Prefix.year + String($0) }
        case .chapter:
            return [IndexSchema.Prefix.chapter + analyzer.normalize(value).normalized]
        case .district:
            return [IndexSchema.Prefix.district + (try vocabulary.districtName(for: value))]
        case .report:
            return [IndexSchema.Prefix.report + (try vocabulary.reportID(for: value))]
        }
    }

    /// `2024`, `2022..2024`, `2022-2024`.
    static func years(_ value: String) throws(SearchError) -> [Int] {
        let normalized = value.replacingOccurrences(of: "..", with: "-").replacingOccurrences(of: "～", with: "-")
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let bounds = parts.compactMap { Int($0) }
        guard bounds.count == parts.count, (1...2).contains(bounds.count), bounds.allSatisfy({ (1900...2100).contains($0) }) else {
            throw SearchError(.badParameter, "year must be a year (2024) or a range (2022..2024), not '\(value)'", context: "year")
        }
        let low = bounds.min()!, high = bounds.max()!
        return Array(low...high)
    }
}
