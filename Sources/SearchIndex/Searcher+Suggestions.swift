import Reports
import TextAnalysis

/// Another query to try, offered when a search finds nothing.
public struct Suggestion: Codable, Sendable, Equatable {
    /// The query with one word replaced; the request's filters still apply.
    public var query: String
    /// `school`: the word looks like a school's name written short or
    /// loosely (信息学校, 广州城建); `shorter`: the word matches with one
    /// character left out.
    public var reason: String
    /// Units the suggested query finds (exactly), under the same filters.
    public var total: Int
}

extension Searcher {
    /// At most this many suggestions, best first.
    static let maximumSuggestions = 3

    /// For a query that finds nothing: each Chinese run of three characters
    /// or more (the words a reader types and mistypes) that occurs nowhere
    /// is replaced by the school name it abbreviates — its characters all
    /// in a school's name or alias, in order, the tightest fit first — or
    /// by itself with one character left out, when that occurs. Each
    /// suggestion is counted under the request's filters; none that would
    /// find nothing is offered.
    func suggestions(_ compiled: CompiledQuery, request: SearchRequest) throws(SearchError) -> [Suggestion] {
        var found: [Suggestion] = []
        var tried = Set<String>()
        func offer(_ replacement: String, for word: String, reason: String) throws(SearchError) {
            guard let range = request.query.range(of: word) else { return }
            let query = request.query.replacingCharacters(in: range, with: replacement)
            guard tried.insert(query).inserted else { return }
            let total = try count(query, filters: request.filters)
            if total > 0 { found.append(Suggestion(query: query, reason: reason, total: total)) }
        }
        for (_, run) in compiled.runs.sorted(by: { $0.key < $1.key }) {
            let word = run.map(\.text).joined()
            guard try !exists(compiled.filtered(compiler.sequenceQuery(run))) else { continue }
            for name in schoolNames(abbreviatedBy: word).prefix(2) {
                try offer(name, for: word, reason: "school")
            }
            var shorter: [Suggestion] = []
            for dropped in run.indices {
                var rest = run
                rest.remove(at: dropped)
                let candidate = rest.map(\.text).joined()
                guard try exists(compiled.filtered(compiler.sequenceQuery(Array(rest)))) else { continue }
                let before = found.count
                try offer(candidate, for: word, reason: "shorter")
                if found.count > before { shorter.append(found.removeLast()) }
            }
            found += shorter.sorted { $0.total > $1.total }.prefix(2)
        }
        return Array(found.prefix(Self.maximumSuggestions))
    }

    /// School names and aliases that hold every character of `word` in
    /// order, the closest first (fewest characters more than the word).
    private func schoolNames(abbreviatedBy word: String) -> [String] {
        let wanted = Array(word)
        guard wanted.count >= 3 else { return [] }
        // Only the names that hold the word's rarest character.
        let lists = Set(wanted).map { vocabulary.schoolNamesByCharacter[$0] ?? [] }
        guard let candidates = lists.min(by: { $0.count < $1.count }) else { return [] }
        var best: [String: Int] = [:]  // school name -> fewest extra characters
        for index in candidates {
            let entry = vocabulary.normalizedSchoolNames[index]
            guard entry.normalized != wanted, Self.holdsInOrder(wanted, in: entry.normalized) else { continue }
            best[entry.name] = min(best[entry.name] ?? .max, entry.normalized.count - wanted.count)
        }
        return best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
    }

    static func holdsInOrder(_ wanted: [Character], in name: [Character]) -> Bool {
        var next = wanted.startIndex
        for character in name where next < wanted.endIndex && character == wanted[next] { next += 1 }
        return next == wanted.endIndex
    }

    /// Units that `query` matches exactly under `filters`.
    private func count(_ query: String, filters: [QueryField: [String]]) throws(SearchError) -> Int {
        let compiled = try compiler.compile(try QuerySyntax.parse(query), filters: filters)
        guard compiled.match != nil else { return 0 }
        var options = searchOptions(limit: 0)
        options.checkAtLeast = info.units
        return try run(compiled.xapianQuery.scaled(by: 0), options: options).estimated
    }
}
