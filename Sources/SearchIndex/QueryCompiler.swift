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
    /// Boolean filters from the parameters, one per field.
    var filters: [XapianQuery] = []
    /// The field of each of `filters`.
    var filterFields: [QueryField] = []
    /// The query's top-level words, phrases and groups: when there are
    /// several, a unit matching all but one of them is a partial hit.
    var words: [XapianQuery] = []
    /// What a partial hit must still match: the filters written in the
    /// query text (`school:广城`) and its exclusions (`-世校赛`).
    var requiredForPartial: [XapianQuery] = []
    var excluded: XapianQuery?
    /// The words of `words` that are one unquoted Chinese run of three or
    /// more characters, by index: the partial tier may cut them in pieces.
    var runs: [Int: [Token]] = [:]
    /// Token sequences to mark in snippets: each phrase, run and word.
    var highlights: [[String]] = []
    /// term -> origin, for explain. Title terms are keyed without their prefix.
    var origins: [String: TermOrigin] = [:]
    /// The synonym forms that were added, by the literal they stand for.
    var synonymsUsed: [String: [String]] = [:]

    /// The query to run: the match (or every document), filtered.
    var xapianQuery: XapianQuery { filtered(match ?? .matchAll) }

    /// `query` under the parameters' filters, but those of `except`.
    func filtered(_ query: XapianQuery, except: Set<QueryField> = []) -> XapianQuery {
        let kept = zip(filters, filterFields).filter { !except.contains($0.1) }.map(\.0)
        guard !kept.isEmpty else { return query }
        return .combine(.filter, [query, kept.count == 1 ? kept[0] : .combine(.and, kept)])
    }

    /// Units matching all words but one, and every filter and exclusion of
    /// the query; nil for a query of fewer than two words. The caller
    /// removes the exact hits.
    var mostWords: XapianQuery? {
        guard words.count >= 2 else { return nil }
        // Every way to leave one word out, ORed: a unit matching all the
        // words but one weighs what those words weigh.
        let alternatives = words.indices.map { left in
            let kept = words.enumerated().filter { $0.offset != left }.map(\.element)
            return kept.count == 1 ? kept[0] : XapianQuery.combine(.and, kept)
        }
        var query = XapianQuery.combine(.or, alternatives)
        if !requiredForPartial.isEmpty { query = .combine(.filter, [query] + requiredForPartial) }
        if let excluded { query = .combine(.andNot, [query, excluded]) }
        return query
    }
}

/// Compiles `QueryNode` trees and structured filters into Xapian queries.
///
/// A word matches the units that contain it as written (after
/// normalisation): an unquoted Chinese run `产教融合` is the phrase of its
/// bigrams, so units where 产, 教, 融, 合 only occur apart do not match, and
/// `total` and the facets count exactly the units that say 产教融合.
struct QueryCompiler {
    let analyzer: Analyzer
    let vocabulary: Vocabulary
    let ranking: Ranking

    func compile(_ node: QueryNode?, filters: [QueryField: [String]]) throws(SearchError) -> CompiledQuery {
        var compiled = CompiledQuery()
        if let node {
            compiled.match = try compileTopLevel(node, into: &compiled)
        }
        for field in QueryField.allCases where field.isFilter {
            guard let values = filters[field], !values.isEmpty else { continue }
            var alternatives: [XapianQuery] = []
            for value in values {
                alternatives += try filterTerms(field, value).map { XapianQuery.term($0) }
            }
            compiled.filters.append(alternatives.count == 1 ? alternatives[0] : .combine(.or, alternatives))
            compiled.filterFields.append(field)
        }
        return compiled
    }

    /// The query's top level, an AND of its items, kept apart as words,
    /// filters and exclusions for the partial tier.
    private func compileTopLevel(_ node: QueryNode, into compiled: inout CompiledQuery) throws(SearchError) -> XapianQuery? {
        let items: [QueryNode]
        if case .and(let list) = node { items = list } else { items = [node] }
        var excluded: [XapianQuery] = []
        for item in items {
            switch item {
            case .not(let inner):
                if let query = try compile(inner, into: &compiled, negated: true) { excluded.append(query) }
            case .text(let text):
                for (query, word) in wordsAndQueries(text, prefix: "", into: &compiled, record: true) {
                    if let word, word.count >= 3, word.allSatisfy({ $0.kind == .cjk }) {
                        compiled.runs[compiled.words.count] = word
                    }
                    compiled.words.append(query)
                }
            case .field(.title, let value, quoted: false):
                compiled.words += wordQueries(value, prefix: IndexSchema.Prefix.title, into: &compiled, record: true)
            case .field(let field, _, _) where field.isFilter:
                if let query = try compile(item, into: &compiled, negated: false) { compiled.requiredForPartial.append(query) }
            default:
                if let query = try compile(item, into: &compiled, negated: false) { compiled.words.append(query) }
            }
        }
        if !excluded.isEmpty { compiled.excluded = excluded.count == 1 ? excluded[0] : .combine(.or, excluded) }
        let required = compiled.words + compiled.requiredForPartial
        var result: XapianQuery?
        if !required.isEmpty { result = required.count == 1 ? required[0] : .combine(.and, required) }
        if let exclusion = compiled.excluded { result = .combine(.andNot, [result ?? .matchAll, exclusion]) }
        return result
    }

    // MARK: - Nodes

    private func compile(_ node: QueryNode, into compiled: inout CompiledQuery, negated: Bool) throws(SearchError) -> XapianQuery? {
        switch node {
        case .text(let text):
            return textQuery(text, prefix: "", into: &compiled, record: !negated)
        case .phrase(let text):
            return phraseQuery(text, prefix: "", into: &compiled, record: !negated)
        case .prefix(let text):
            return try prefixQuery(text, into: &compiled, record: !negated)
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

    /// At most this many words a prefix stands for (the most frequent).
    static let maximumPrefixExpansion = 100

    /// `word*`: a Latin word or a number is every indexed word that starts
    /// with it (`digit*`: digital, digitalization), the
    /// `maximumPrefixExpansion` most frequent, weighted as one word. A
    /// Chinese run already matches wherever it is written, inside longer
    /// words too, so `产教*` is `产教`. Several words before one `*`
    /// (`ai赋*`) are an error, not a guess.
    private func prefixQuery(_ text: String, into compiled: inout CompiledQuery, record: Bool) throws(SearchError) -> XapianQuery? {
        let tokens = analyzer.tokenize(text)
        guard let word = tokens.last else {
            throw SearchError(.badQuery, "'\(text)*' has no word or number before its '*'", context: text + "*")
        }
        if tokens.allSatisfy({ $0.kind == .cjk }) {
            return textQuery(text, prefix: "", into: &compiled, record: record)
        }
        guard tokens.count == 1 else {
            throw SearchError(
                .badQuery, "a prefix search takes one Latin word or number before its '*' (digit*, 20*), not '\(text)*'",
                context: text + "*")
        }
        if record { compiled.highlights.append([word.text + String(Snippet.prefixMarker)]) }
        return .wildcard(word.text, maxExpansion: Self.maximumPrefixExpansion)
    }

    /// Unquoted text: its words, ANDed. A word is a run of tokens written
    /// side by side (`产教融合`, `ai赋能`, `1+x证书`); spaces and punctuation
    /// separate words. A unit matches a word when it contains it (see
    /// `sequenceQuery`), or one of the word's synonym forms, weighted lower.
    private func textQuery(_ text: String, prefix: String, into compiled: inout CompiledQuery, record: Bool) -> XapianQuery? {
        let words = wordQueries(text, prefix: prefix, into: &compiled, record: record)
        guard !words.isEmpty else { return nil }
        return words.count == 1 ? words[0] : .combine(.and, words)
    }

    /// The query of each word of `text`, in order.
    func wordQueries(_ text: String, prefix: String, into compiled: inout CompiledQuery, record: Bool) -> [XapianQuery] {
        wordsAndQueries(text, prefix: prefix, into: &compiled, record: record).map(\.query)
    }

    /// Each word of `text` with its query; the word is nil for a school's
    /// name, whose words make one query.
    private func wordsAndQueries(
        _ text: String, prefix: String, into compiled: inout CompiledQuery, record: Bool
    ) -> [(query: XapianQuery, word: [Token]?)] {
        let tokens = analyzer.tokenize(text)
        guard !tokens.isEmpty else { return [] }
        if record { compiled.highlights += Self.segments(tokens).map { $0.map(\.text) } }
        let words = Self.words(tokens)
        if prefix.isEmpty, let school = vocabulary.schoolID(named: text) {
            // The text names a school: its units rank first, and units about
            // it match even where it is written another way.
            let about = XapianQuery.term(IndexSchema.Prefix.aboutSchool + school).scaled(by: ranking.aboutSchoolWeight)
            compiled.origins[IndexSchema.Prefix.aboutSchool + school] = .synonym
            let literal = words.map { wordQuery($0, prefix: prefix, into: &compiled, record: record) }
            return [(.combine(.or, [literal.count == 1 ? literal[0] : .combine(.and, literal), about]), nil)]
        }
        return words.map { (wordQuery($0, prefix: prefix, into: &compiled, record: record), $0) }
    }

    /// One word, with its synonym forms: those of the whole word (`3d打印`),
    /// or, for a word of several segments, the word with one segment
    /// replaced by a form of it (`ai赋能` → `人工智能赋能`).
    private func wordQuery(_ word: [Token], prefix: String, into compiled: inout CompiledQuery, record: Bool) -> XapianQuery {
        let literal = sequenceQuery(word, prefix: prefix, into: &compiled, origin: .literal)
        guard prefix.isEmpty else { return literal }
        let form = word.map(\.text).joined()
        if let others = vocabulary.synonyms[form], !others.isEmpty {
            return withSynonyms(literal, form: form, others: others, into: &compiled, record: record)
        }
        let segments = Self.segments(word)
        guard segments.count > 1 else { return literal }
        var variants: [String] = []
        var replaced: [String: [String]] = [:]
        for (index, segment) in segments.enumerated() {
            let segmentForm = segment.map(\.text).joined()
            guard let others = vocabulary.synonyms[segmentForm], !others.isEmpty else { continue }
            replaced[segmentForm] = others
            for other in others {
                variants.append(segments.enumerated().map { $0.offset == index ? other : $0.element.map(\.text).joined() }.joined())
            }
        }
        guard !variants.isEmpty else { return literal }
        let query = withSynonyms(literal, form: form, others: variants, into: &compiled, record: record)
        // Report the segment's synonyms (what the user knows), not the variants.
        compiled.synonymsUsed[form] = nil
        compiled.synonymsUsed.merge(replaced) { first, _ in first }
        return query
    }

    /// `literal OR (its synonyms, scaled down)`: the form typed ranks first.
    private func withSynonyms(
        _ literal: XapianQuery, form: String, others: [String], into compiled: inout CompiledQuery, record: Bool
    ) -> XapianQuery {
        var alternatives: [XapianQuery] = []
        for other in others {
            let otherTokens = analyzer.tokenize(other)
            guard !otherTokens.isEmpty else { continue }
            // A form written with spaces (`uk enic`) is its words in order.
            alternatives.append(sequenceQuery(otherTokens, prefix: "", into: &compiled, origin: .synonym))
            if record { compiled.highlights += Self.segments(otherTokens).map { $0.map(\.text) } }
        }
        guard !alternatives.isEmpty else { return literal }
        compiled.synonymsUsed[form] = others
        // The other forms count as one term (OP_SYNONYM) at a lower weight,
        // so units using the form typed rank first. The literal is not put
        // inside the synonym group again: each copy of a phrase in the tree
        // checks positions on its own, and those checks are what an exact
        // count costs.
        let otherForms = alternatives.count == 1 ? alternatives[0] : XapianQuery.combine(.synonym, alternatives)
        return .combine(.or, [literal, otherForms.scaled(by: ranking.synonymWeight)])
    }

    /// A quoted phrase: every token, in order, adjacent.
    private func phraseQuery(_ text: String, prefix: String, into compiled: inout CompiledQuery, record: Bool) -> XapianQuery? {
        let tokens = analyzer.tokenize(text)
        guard !tokens.isEmpty else { return nil }
        if record { compiled.highlights.append(tokens.map(\.text)) }
        return sequenceQuery(tokens, prefix: prefix, into: &compiled, origin: .literal)
    }

    /// Units that contain `tokens` in order, as one positional query over the
    /// terms `TermGenerator` writes:
    /// - one token: its term (a character, word or number);
    /// - a run of CJK characters: its bigram, or a phrase of every other
    ///   bigram (`产教 @0, 融合 @2`): each bigram only exists where its two
    ///   characters touch, and positions skip one where CJK characters do
    ///   not touch, so the phrase matches only where the run is written as
    ///   one — with about half the position lists of all its bigrams;
    /// - a sequence mixing runs, words and numbers (`ai赋能`, `双11`, a quoted
    ///   `uk enic`): one phrase over all of them, each at its offset.
    ///
    /// The phrase's window is the span of the offsets. No term can sit
    /// closer to the previous one than its offset says — a bigram one
    /// position after a bigram must share its character, which the cover
    /// avoids by overlapping where the characters repeat (`学学`); a word
    /// cannot sit on a position a CJK character holds — so every match has
    /// the terms exactly at their offsets. The exception is whitespace
    /// between CJK characters inside a quoted phrase (`"产教 融合"`), which
    /// also matches where nothing separates them.
    ///
    /// Words and numbers match whole tokens (`ai` is not found inside
    /// `aigc`); between a word and a run, what separates them in the text (a
    /// space, punctuation) is not checked, as between words.
    ///
    /// Under a field prefix (`title:`), see the end of the function.
    func sequenceQuery(_ tokens: [Token], prefix: String, into compiled: inout CompiledQuery, origin: TermOrigin) -> XapianQuery {
        var terms: [(term: String, offset: Int)] = []
        var offset = 0
        var previous: Token?
        for segment in Self.segments(tokens) {
            if let previous, previous.kind == .cjk, segment[0].kind == .cjk {
                offset += 1  // CJK that does not touch: TermGenerator's extra position
            }
            if segment.count == 1 {
                terms.append((segment[0].text, offset))
                compiled.origins[segment[0].text] = origin
            } else {
                for start in Self.cover(segment) {
                    let bigram = segment[start].text + segment[start + 1].text
                    terms.append((bigram, offset + start))
                    compiled.origins[bigram] = origin == .synonym ? .synonym : .ngram
                }
            }
            offset += segment.count
            previous = segment[segment.count - 1]
        }
        let queries = terms.enumerated().map { XapianQuery.term($0.element.term, position: $0.offset + 1) }
        let window = terms[terms.count - 1].offset + 1
        let anywhere = queries.count == 1 ? queries[0] : XapianQuery.combine(.phrase, queries, parameter: window)
        guard !prefix.isEmpty else { return anywhere }
        // A field (title:) has its terms but not their positions: the unit
        // must hold the terms in that field and the sequence somewhere. A
        // sequence in the text whose pieces the title holds apart is the
        // one way that is not exact; short titles make it rare.
        let inField = Set(terms.map(\.term)).sorted().map { XapianQuery.term(prefix + $0) }
        let weighted = inField.count == 1 ? inField[0] : XapianQuery.combine(.and, inField)
        return queries.count == 1 ? weighted : .combine(.filter, [weighted, anywhere])
    }

    /// `sequenceQuery` of `tokens`, for a query put together after compiling
    /// (the partial tier's pieces): nothing is recorded for explain.
    func sequenceQuery(_ tokens: [Token]) -> XapianQuery {
        var unrecorded = CompiledQuery()
        return sequenceQuery(tokens, prefix: "", into: &unrecorded, origin: .literal)
    }

    /// The bigrams (by first character) whose phrase pins down a run of two
    /// or more CJK characters: every other one, and the last. Where the
    /// characters on either side of a skipped bigram are the same (`学学`)
    /// two bigrams could sit one position apart, so the cover overlaps
    /// there; a run whose cover would name one bigram twice takes all its
    /// bigrams.
    static func cover(_ run: [Token]) -> [Int] {
        let last = run.count - 2
        var starts = [0]
        while starts[starts.count - 1] < last {
            let current = starts[starts.count - 1]
            var next = min(current + 2, last)
            if next == current + 2, run[current + 1].text == run[current + 2].text { next = current + 1 }
            starts.append(next)
        }
        let bigrams = starts.map { run[$0].text + run[$0 + 1].text }
        return Set(bigrams).count == bigrams.count ? starts : Array(0...last)
    }

    /// Cuts tokens into words: maximal runs of tokens written side by side
    /// in the normalised text.
    static func words(_ tokens: [Token]) -> [[Token]] {
        var words: [[Token]] = []
        for token in tokens {
            if let last = words.last?.last, last.normalizedRange.upperBound == token.normalizedRange.lowerBound {
                words[words.count - 1].append(token)
            } else {
                words.append([token])
            }
        }
        return words
    }

    /// Splits tokens into segments: each run of CJK characters adjacent in
    /// the normalised text is one segment, every other token its own.
    static func segments(_ tokens: [Token]) -> [[Token]] {
        var segments: [[Token]] = []
        for token in tokens {
            if let last = segments.last?.last, last.touches(token) {
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
            return try Self.years(value, field: "year").map { IndexSchema.Prefix.year + String($0) }
        case .dataYear:
            return try Self.years(value, field: "data_year").map { IndexSchema.Prefix.dataYear + String($0) }
        case .chapter:
            return try vocabulary.chapterNumbers(for: value).map { IndexSchema.Prefix.chapter + $0 }
        case .district:
            return [IndexSchema.Prefix.district + (try vocabulary.districtName(for: value))]
        case .report:
            return [IndexSchema.Prefix.report + (try vocabulary.reportID(for: value))]
        }
    }

    /// `2024`, `2022..2024`, `2022-2024`.
    static func years(_ value: String, field: String) throws(SearchError) -> [Int] {
        let normalized = value.replacingOccurrences(of: "..", with: "-").replacingOccurrences(of: "～", with: "-")
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let bounds = parts.compactMap { Int($0) }
        guard bounds.count == parts.count, (1...2).contains(bounds.count), bounds.allSatisfy({ (1900...2100).contains($0) }) else {
            throw SearchError(.badParameter, "\(field) must be a year (2024) or a range (2022..2024), not '\(value)'", context: field)
        }
        let low = bounds.min()!, high = bounds.max()!
        return Array(low...high)
    }
}
