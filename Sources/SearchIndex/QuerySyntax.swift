/// anli's query language, parsed into a tree before anything reaches Xapian
/// (Xapian 1.4.22's QueryParser throws on some mixed queries and ANDs the
/// characters of a Chinese run with no position check; see XAPIAN-NOTES).
///
/// ```text
/// 产教融合                 words; several are ANDed
/// 产教 AND 融合           the same, written out (AND, &&; +word)
/// "现代学徒制"            an exact phrase ("…" or “…”)
/// AI OR 人工智能          either (OR binds tighter than the implicit AND)
/// 技能大赛 -世校赛        exclusion (also NOT 世校赛)
/// (AI OR VR) 教学         grouping
/// digit*                  a prefix: words that start with it
/// title:赋能 school:广城 kind:case year:2023..2024 chapter:5 district:番禺区 report:gz-2024
/// data_year:2023          units whose data or text refer to 2023 (year: is the report's)
/// ```
///
/// Every query string either parses or gets a `SearchError` (`bad_query` or
/// `unknown_field`) whose message says what is wrong and where.
indirect enum QueryNode: Equatable, Sendable {
    /// Unquoted text: one or more words, CJK runs, numbers.
    case text(String)
    /// Quoted text: an exact phrase.
    case phrase(String)
    /// A word written with a trailing `*`: the words that start with it.
    case prefix(String)
    case field(QueryField, String, quoted: Bool)
    case not(QueryNode)
    case and([QueryNode])
    case or([QueryNode])
}

public enum QueryField: String, CaseIterable, Sendable {
    case title, school, kind, year, chapter, district, report
    /// The years a unit's data and text refer to (`year` is its report's).
    case dataYear = "data_year"

    /// Fields that filter (boolean) rather than match text.
    var isFilter: Bool { self != .title }
}

struct QuerySyntax {
    static let maximumLength = 1000

    private enum Lexeme: Equatable {
        case word(String, offset: Int)
        case quoted(String, offset: Int)
        case field(QueryField, String, quoted: Bool, offset: Int)
        case minus(offset: Int)
        case plus(offset: Int)
        case or(offset: Int)
        case and(offset: Int)
        case not(offset: Int)
        case prefix(String, offset: Int)
        case open(offset: Int)
        case close(offset: Int)
    }

    private static let openQuotes: Set<Character> = ["\"", "“", "「", "＂"]
    private static let closeQuotes: [Character: Set<Character>] = [
        "\"": ["\""], "＂": ["＂", "\""], "“": ["”", "\""], "「": ["」"],
    ]
    private static let openParens: Set<Character> = ["(", "（"]
    private static let closeParens: Set<Character> = [")", "）"]
    private static let colons: Set<Character> = [":", "："]
    private static let minuses: Set<Character> = ["-", "－"]
    private static let pluses: Set<Character> = ["+", "＋"]

    /// Parses `query`. An empty or all-blank query gives `nil` (browse).
    static func parse(_ query: String) throws(SearchError) -> QueryNode? {
        guard query.count <= maximumLength else {
            throw SearchError(.badQuery, "the query is \(query.count) characters long; the limit is \(maximumLength)", context: String(query.prefix(40)) + "…")
        }
        let lexemes = try lex(query)
        if lexemes.isEmpty { return nil }
        var parser = Parser(lexemes: lexemes, query: query)
        let node = try parser.parseSequence(untilClose: false)
        return node
    }

    // MARK: - Lexer

    private static func lex(_ query: String) throws(SearchError) -> [Lexeme] {
        let characters = Array(query)
        var lexemes: [Lexeme] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            if openParens.contains(character) {
                lexemes.append(.open(offset: index))
                index += 1
                continue
            }
            if closeParens.contains(character) {
                lexemes.append(.close(offset: index))
                index += 1
                continue
            }
            if openQuotes.contains(character) {
                let (text, next) = try quoted(characters, from: index, query: query)
                lexemes.append(.quoted(text, offset: index))
                index = next
                continue
            }
            // `-word` and `+word` (Lucene's prohibited and required); inside a
            // word (`sk-2`, `1+x`) they are part of it.
            if minuses.contains(character) || pluses.contains(character), index + 1 < characters.count,
               !characters[index + 1].isWhitespace,
               index == 0 || characters[index - 1].isWhitespace || openParens.contains(characters[index - 1]) {
                lexemes.append(minuses.contains(character) ? .minus(offset: index) : .plus(offset: index))
                index += 1
                continue
            }
            // A word runs to whitespace, a parenthesis or a quote; `field:` turns
            // it into a field term.
            let start = index
            var field: QueryField?
            while index < characters.count, !characters[index].isWhitespace, !openParens.contains(characters[index]),
                  !closeParens.contains(characters[index]), !openQuotes.contains(characters[index]) {
                if colons.contains(characters[index]), let name = try fieldName(characters[start..<index], query: query, offset: start) {
                    field = name
                    index += 1
                    break
                }
                index += 1
            }
            if let field {
                lexemes.append(try fieldValue(field, characters, from: &index, fieldOffset: start, query: query))
                continue
            }
            let word = String(characters[start..<index])
            // Upper case only, as in Xapian's QueryParser and Lucene: `and`
            // and `or` in lower case are words.
            switch word {
            case "OR", "|", "||": lexemes.append(.or(offset: start))
            case "AND", "&&": lexemes.append(.and(offset: start))
            case "NOT": lexemes.append(.not(offset: start))
            case "": break
            default: lexemes.append(try starred(word, offset: start, query: query))
            }
        }
        return lexemes
    }

    /// A word, or a prefix search when it ends in `*` (`digit*`, `产教*`). A
    /// `*` anywhere else is an error rather than a character the tokenizer
    /// would quietly drop.
    private static func starred(_ word: String, offset: Int, query: String) throws(SearchError) -> Lexeme {
        let stars: Set<Character> = ["*", "＊"]
        guard let first = word.firstIndex(where: { stars.contains($0) }) else { return .word(word, offset: offset) }
        let position = offset + word.distance(from: word.startIndex, to: first) + 1
        guard word.index(after: first) == word.endIndex, first != word.startIndex else {
            throw SearchError(
                .badQuery,
                "'*' at character \(position) is only a prefix search at the end of a word (digit*, 产教*)", context: query)
        }
        return .prefix(String(word[..<first]), offset: offset)
    }

    /// The value after `field:`: a quoted phrase or everything up to the next
    /// space or closing parenthesis.
    private static func fieldValue(
        _ field: QueryField, _ characters: [Character], from index: inout Int, fieldOffset: Int, query: String
    ) throws(SearchError) -> Lexeme {
        if index < characters.count, openQuotes.contains(characters[index]) {
            let (text, next) = try quoted(characters, from: index, query: query)
            index = next
            return .field(field, text, quoted: true, offset: fieldOffset)
        }
        let valueStart = index
        while index < characters.count, !characters[index].isWhitespace, !closeParens.contains(characters[index]) { index += 1 }
        let value = String(characters[valueStart..<index])
        guard !value.isEmpty else {
            throw SearchError(.badQuery, "\(field.rawValue): at character \(fieldOffset + 1) needs a value", context: query)
        }
        return .field(field, value, quoted: false, offset: fieldOffset)
    }

    /// The field named before a colon, if it is one; an unknown ASCII name
    /// followed by a colon is an error (a typo like `tilte:` should not
    /// silently search for "tilte").
    private static func fieldName(_ name: ArraySlice<Character>, query: String, offset: Int) throws(SearchError) -> QueryField? {
        let text = String(name).lowercased()
        if let field = QueryField(rawValue: text) { return field }
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isLetter }) {
            let known = QueryField.allCases.map(\.rawValue).joined(separator: ", ")
            throw SearchError(.unknownField, "unknown field '\(text)' (character \(offset + 1)); fields are \(known)", context: query)
        }
        return nil
    }

    private static func quoted(_ characters: [Character], from start: Int, query: String) throws(SearchError) -> (String, Int) {
        let closers = closeQuotes[characters[start]] ?? ["\""]
        var index = start + 1
        while index < characters.count, !closers.contains(characters[index]) { index += 1 }
        guard index < characters.count else {
            throw SearchError(.badQuery, "unbalanced quote: the quote at character \(start + 1) is never closed", context: query)
        }
        return (String(characters[(start + 1)..<index]), index + 1)
    }

    // MARK: - Parser

    private struct Parser {
        let lexemes: [Lexeme]
        let query: String
        var index = 0

        init(lexemes: [Lexeme], query: String) {
            self.lexemes = lexemes
            self.query = query
        }

        /// sequence := orExpr (["AND"] orExpr)*   (ANDed, written or not)
        mutating func parseSequence(untilClose: Bool) throws(SearchError) -> QueryNode {
            var items: [QueryNode] = []
            while index < lexemes.count {
                if case .close(let offset) = lexemes[index] {
                    if untilClose { break }
                    throw SearchError(.badQuery, "unbalanced parenthesis: ')' at character \(offset + 1) has no '('", context: query)
                }
                if case .and(let offset) = lexemes[index] {
                    guard !items.isEmpty else {
                        throw SearchError(.badQuery, "AND at character \(offset + 1) needs something before it", context: query)
                    }
                    index += 1
                    guard index < lexemes.count, !isClose(lexemes[index]), !isOr(lexemes[index]), !isAnd(lexemes[index]) else {
                        throw SearchError(.badQuery, "AND at character \(offset + 1) needs something after it", context: query)
                    }
                }
                items.append(try parseOr())
            }
            guard !items.isEmpty else {
                throw SearchError(.badQuery, "empty group '()'", context: query)
            }
            return items.count == 1 ? items[0] : .and(items)
        }

        /// orExpr := unary ("OR" unary)*
        mutating func parseOr() throws(SearchError) -> QueryNode {
            var alternatives = [try parseUnary()]
            while index < lexemes.count, case .or(let offset) = lexemes[index] {
                index += 1
                guard index < lexemes.count, !isClose(lexemes[index]), !isOr(lexemes[index]), !isAnd(lexemes[index]) else {
                    throw SearchError(.badQuery, "OR at character \(offset + 1) needs something after it", context: query)
                }
                alternatives.append(try parseUnary())
            }
            return alternatives.count == 1 ? alternatives[0] : .or(alternatives)
        }

        /// unary := ("-" | "NOT") primary | "+" primary | primary
        mutating func parseUnary() throws(SearchError) -> QueryNode {
            switch lexemes[index] {
            case .minus(let offset), .not(let offset):
                var name = "'-'"
                if case .not = lexemes[index] { name = "NOT" }
                index += 1
                guard index < lexemes.count, !isClose(lexemes[index]), !isOr(lexemes[index]), !isAnd(lexemes[index]) else {
                    throw SearchError(.badQuery, "\(name) at character \(offset + 1) must be followed by what to exclude", context: query)
                }
                return .not(try parsePrimary())
            case .plus:
                // Required is what every word is already.
                index += 1
                guard index < lexemes.count else {
                    throw SearchError(.badQuery, "'+' at the end of the query requires nothing", context: query)
                }
                return try parsePrimary()
            default:
                return try parsePrimary()
            }
        }

        mutating func parsePrimary() throws(SearchError) -> QueryNode {
            let lexeme = lexemes[index]
            index += 1
            switch lexeme {
            case .word(let text, _): return .text(text)
            case .prefix(let text, _): return .prefix(text)
            case .quoted(let text, _): return .phrase(text)
            case .field(let field, let value, let quoted, _): return .field(field, value, quoted: quoted)
            case .open(let offset):
                let inner = try parseSequence(untilClose: true)
                guard index < lexemes.count, case .close = lexemes[index] else {
                    throw SearchError(.badQuery, "unbalanced parenthesis: '(' at character \(offset + 1) is never closed", context: query)
                }
                index += 1
                return inner
            case .or(let offset):
                throw SearchError(.badQuery, "OR at character \(offset + 1) needs something before it", context: query)
            case .close(let offset):
                throw SearchError(.badQuery, "unbalanced parenthesis: ')' at character \(offset + 1) has no '('", context: query)
            case .minus(let offset):
                throw SearchError(.badQuery, "'-' at character \(offset + 1) must be followed by what to exclude", context: query)
            case .plus(let offset):
                throw SearchError(.badQuery, "'+' at character \(offset + 1) must be followed by what to require", context: query)
            case .not(let offset):
                throw SearchError(.badQuery, "NOT at character \(offset + 1) must be followed by what to exclude", context: query)
            case .and(let offset):
                throw SearchError(.badQuery, "AND at character \(offset + 1) needs something on both sides", context: query)
            }
        }

        private func isClose(_ lexeme: Lexeme) -> Bool {
            if case .close = lexeme { return true }
            return false
        }

        private func isOr(_ lexeme: Lexeme) -> Bool {
            if case .or = lexeme { return true }
            return false
        }

        private func isAnd(_ lexeme: Lexeme) -> Bool {
            if case .and = lexeme { return true }
            return false
        }
    }
}
