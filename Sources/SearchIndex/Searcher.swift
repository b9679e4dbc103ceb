import Foundation
import Reports
import TextAnalysis

/// Answers searches, shows units and finds related ones, on one open
/// revision of an index.
///
/// Not thread-safe (Xapian handles have no locking): use one `Searcher` per
/// thread, or serialise access. Cheap enough to open per worker.
///
/// ```swift
/// let searcher = try Searcher(index: URL(fileURLWithPath: "index"))
/// var request = SearchRequest(query: "产教融合")
/// request.facets = [.year]
/// let results = try searcher.search(request)
/// ```
public final class Searcher {
    public let location: IndexLocation
    public let info: IndexInfo
    public let ranking: Ranking
    let database: XapianDatabase
    let vocabulary: Vocabulary
    let analyzer: Analyzer
    var records: RecordCache
    var counts: CountCache
    /// The build the index's shards come from (`db-…`, its revision's name
    /// where it was built; see `ShardIdentity`).
    public let build: String
    /// The revision's files as they were when this searcher opened them.
    public let seal: RevisionSeal

    /// Text bytes of decoded hits kept per searcher by default (see `RecordCache`).
    public static let defaultRecordCacheBytes = 8 << 20
    /// Bytes of recent totals and facet counts kept per searcher by default
    /// (see `CountCache`).
    public static let defaultCountCacheBytes = 4 << 20

    /// Indexes of at most this many units rank and count in one exhaustive
    /// pass; larger ones take two (see `search(_:)`).
    public static let defaultSinglePassLimit = 2_000
    let singlePassLimit: Int

    /// How long a remote shard (`remote HOST:PORT` in the index's stub) may
    /// take to answer one call before the request fails with
    /// `shard_unavailable`: half the daemon's request time limit, so that a
    /// hung shard is reported as such, not as a request that took too long.
    public static let defaultShardTimeout: Duration = .seconds(5)

    /// - Parameters:
    ///   - recordCacheBytes: how much decoded hit data to keep between
    ///     searches; 0 reads every hit's data from the index.
    ///   - countCacheBytes: how much of recent requests' totals and facet
    ///     counts to keep (0: count every request's matches).
    ///   - singlePassLimit: up to this many units in the index, one pass
    ///     ranks and counts; above it, a ranking pass and a counting pass.
    ///   - shardTimeout: how long a remote shard may take per call.
    public init(
        index directory: URL, ranking: Ranking = .default, recordCacheBytes: Int = Searcher.defaultRecordCacheBytes,
        countCacheBytes: Int = Searcher.defaultCountCacheBytes, singlePassLimit: Int = Searcher.defaultSinglePassLimit,
        shardTimeout: Duration = Searcher.defaultShardTimeout
    ) throws(SearchError) {
        let location = try IndexLocation.resolve(directory)
        self.location = location
        self.seal = RevisionSeal(directory: location.database.path)
        self.ranking = ranking
        self.records = RecordCache(budget: recordCacheBytes)
        self.counts = CountCache(budget: countCacheBytes)
        self.singlePassLimit = singlePassLimit
        do {
            self.database = try XapianDatabase(path: location.database.path, remoteTimeout: shardTimeout)
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
        do {
            self.analyzer = try Analyzer()
        } catch {
            throw SearchError(.internal, error.description)
        }
        // Shards first: the metadata is read from the first shard listed.
        self.build = try ShardIdentity.commonBuild(of: database, path: location.database.path)
        let metadata = try IndexMetadata.read(from: database, path: location.database.path)
        self.info = IndexInfo(
            schemaVersion: metadata.schemaVersion, corpusRevision: metadata.corpusRevision, builtAt: metadata.builtAt,
            reports: metadata.reports, units: metadata.documentCount, revision: location.revision,
            shards: database.shardCount)
        self.vocabulary = Vocabulary(
            gazetteer: metadata.gazetteer, reports: metadata.reports, synonymGroups: metadata.synonymGroups, analyzer: analyzer)
    }

    /// Throws `index_corrupt` when a file of the revision changed since this
    /// searcher opened it (see `RevisionSeal`): nothing should read it then.
    public func checkSealed() throws(SearchError) {
        try seal.check(revision: location.revision)
    }

    // MARK: - Search

    public func search(_ request: SearchRequest) throws(SearchError) -> SearchResults {
        let started = DispatchTime.now()
        try request.validate()
        let tree = try QuerySyntax.parse(request.query)
        let compiled = try compiler.compile(tree, filters: request.filters)
        if tree != nil, compiled.match == nil {
            throw SearchError(.badQuery, "the query has no words, numbers or fields to search for", context: request.query)
        }
        var options = searchOptions(limit: request.limit)
        options.offset = request.offset
        options.includeMatchingTerms = request.explain
        switch request.sort {
        case .relevance where compiled.match == nil:
            // Nothing to rank by: browse newest first, in report order.
            options.sort = .value(slot: IndexSchema.Slot.year, descending: true)
        case .relevance: options.sort = .relevance
        case .yearDescending: options.sort = .value(slot: IndexSchema.Slot.year, descending: true)
        case .yearAscending: options.sort = .value(slot: IndexSchema.Slot.year, descending: false)
        }
        let query = compiled.xapianQuery
        let facetSlots = request.facets.map(\.slot)
        let multiValued = Set(request.facets.filter(\.isMultiValued).map(\.slot))
        // Totals and facet counts are exact, which takes an exhaustive match
        // (XAPIAN-NOTES). On a small index one pass ranks and counts. On a
        // large one, weighing every match is what costs (a common word
        // matches most of a 50,000-unit corpus), so Xapian ranks the page
        // with its pruning, and a second pass with the query made boolean
        // (no weights: the ranking-only parts are never read) counts the
        // matches and the facets, only when the first pass could not and
        // the counts of the same request are not in `counts` already.
        let matches: XapianMatches
        let total: Int
        let facetCounts: [Int: [(value: [UInt8], count: Int)]]
        if info.units <= singlePassLimit {
            options.checkAtLeast = info.units
            options.facetSlots = facetSlots
            options.multiValuedSlots = multiValued
            matches = try run(query, options: options)
            total = matches.estimated
            facetCounts = matches.facets
        } else {
            matches = try run(query, options: options)
            let key = CountCache.Key(request)
            if facetSlots.isEmpty, matches.lowerBound == matches.upperBound {
                total = matches.lowerBound
                facetCounts = [:]
            } else if let cached = counts.counts(key) {
                total = cached.total
                facetCounts = cached.facets
            } else {
                var counting = searchOptions(limit: 0)
                counting.checkAtLeast = info.units
                counting.facetSlots = facetSlots
                counting.multiValuedSlots = multiValued
                let counted = try run(query.scaled(by: 0), options: counting)
                total = counted.estimated
                facetCounts = counted.facets
                counts.insert(.init(total: total, facets: facetCounts), for: key)
            }
        }

        var hits: [SearchHit] = []
        for match in matches.hits {
            hits.append(try hit(for: match, kind: .exact, request: request, compiled: compiled, query: query))
        }
        // Fewer exact hits than the page holds: partial hits fill it.
        if request.partialHits, request.sort == .relevance, request.offset + request.limit > total {
            var relaxed = compiled  // a run cut in pieces highlights its pieces
            for (match, query) in try partialMatches(compiled, request: request, exactTotal: total, highlights: &relaxed.highlights) {
                hits.append(try hit(for: match, kind: .partial, request: request, compiled: relaxed, query: query))
            }
        }
        var facets: [String: [FacetCount]] = [:]
        for field in request.facets {
            facets[field.rawValue] = (facetCounts[field.slot] ?? []).map { entry in
                let value = String(decoding: entry.value, as: UTF8.self)
                return FacetCount(value: value, label: label(field, value), count: entry.count)
            }
        }
        // Nothing found: other queries to try (a word that abbreviates a
        // school's name, or matches with a character left out).
        let suggestions = total == 0 && compiled.match != nil ? try suggestions(compiled, request: request) : []
        let took = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1000)
        return SearchResults(
            query: request.query, total: total, offset: request.offset, limit: request.limit,
            tookMicroseconds: took, hits: hits, facets: facets,
            synonyms: compiled.synonymsUsed.isEmpty ? nil : compiled.synonymsUsed,
            suggestions: suggestions.isEmpty ? nil : suggestions)
    }

    /// One hit, with its snippet and, when asked, its explanation.
    private func hit(
        for match: XapianHit, kind: MatchKind, request: SearchRequest, compiled: CompiledQuery, query: XapianQuery
    ) throws(SearchError) -> SearchHit {
        let record = try record(match.docid)
        var hit = hit(for: record, score: match.weight, highlighting: compiled.highlights, snippetLength: request.snippetLength)
        hit.match = kind
        if request.explain {
            hit.explain = try explanation(for: match, unitID: record.id, compiled: compiled, query: query)
        }
        return hit
    }

    // MARK: - Partial hits

    /// At most this many partial hits follow the exact ones.
    public static let partialLimit = 100
    /// How many of the best exact matches lend their figures, tables and
    /// rows to the partial tier.
    static let contextParents = 50

    /// The page's share of the partial tier (`MatchKind.partial`), each hit
    /// with the query that found it. Under the request's filters, never an
    /// exact hit, at most `partialLimit` in all, in this order:
    /// 0. units holding every piece of the query's Chinese runs, by weight.
    ///    A run is cut into the words it is made of, where two neighbouring
    ///    characters rarely stand side by side (数字化教学 → 数字化 + 教学: a
    ///    unit about 数字化 and 教学 that never writes the run); a run that
    ///    occurs nowhere as written (a caption copied from the table of
    ///    contents, which words it a little differently:
    ///    首批产教融合实训基地授牌仪式 for the body's
    ///    首批产教融合实训示范基地授牌仪式) is cut instead, left to right, into
    ///    the longest pieces that occur, when those of two characters or
    ///    more cover three quarters of it (so 量子计算机, whose longest piece
    ///    is 计算机, still finds nothing);
    /// 1. units matching all the words of the query but one, by weight;
    ///    only when every word occurs somewhere under the filters, so that
    ///    a word the corpus does not contain (`量子计算机 教学`) still finds
    ///    nothing rather than the other word's units;
    /// 2. figures, tables and rows inside one of the `contextParents` best
    ///    units that match the query exactly, whatever their kind
    ///    (`产教融合 kind:figure` finds the figures of the cases about
    ///    产教融合), by their holder's rank, then in report order.
    func partialMatches(
        _ compiled: CompiledQuery, request: SearchRequest, exactTotal: Int, highlights: inout [[String]]
    ) throws(SearchError) -> [(XapianHit, XapianQuery)] {
        guard let match = compiled.match, !compiled.words.isEmpty else { return [] }
        let start = max(0, request.offset - exactTotal)
        let end = min(Self.partialLimit, request.offset + request.limit - exactTotal)
        guard end > start else { return [] }
        var found: [(XapianHit, XapianQuery)] = []
        var seen = Set<UInt32>()
        /// Adds the hits of `partial` that are neither exact nor found yet,
        /// until the page is full.
        func collect(_ partial: XapianQuery, sort: XapianSearchOptions.Sort = .relevance) throws(SearchError) {
            let query = compiled.filtered(.combine(.andNot, [partial, match]))
            var options = searchOptions(limit: end)
            options.sort = sort
            options.includeMatchingTerms = request.explain
            for hit in try run(query, options: options).hits where found.count < end && !seen.contains(hit.docid) {
                found.append((hit, query))
                seen.insert(hit.docid)
            }
        }

        if let pieces = try piecesQuery(compiled, exactTotal: exactTotal, highlights: &highlights) {
            try collect(pieces)
        }
        if found.count < end, let mostWords = compiled.mostWords, try everyWordOccurs(compiled) {
            try collect(mostWords)
        }
        if found.count < end {
            // The holders in rank order, each asked for its figures, tables
            // and rows (in report order) until the page is full: usually one
            // or two small boolean queries, no termlists read.
            let parents = try run(compiled.filtered(match, except: [.kind]), options: searchOptions(limit: Self.contextParents))
            for parent in parents.hits where found.count < end {
                let record = try record(parent.docid)
                guard record.kind != .row, record.kind != .figure else { continue }
                var context = XapianQuery.term(IndexSchema.Prefix.ancestor + record.id)
                if !compiled.requiredForPartial.isEmpty { context = .combine(.filter, [context] + compiled.requiredForPartial) }
                if let excluded = compiled.excluded { context = .combine(.andNot, [context, excluded]) }
                try collect(context, sort: .unranked)
            }
        }
        return start < found.count ? Array(found[start..<min(end, found.count)]) : []
    }

    /// The shortest share of a run its pieces must cover (see `partialMatches`).
    static let minimumPieceCoverage = 0.75

    /// The query with its Chinese runs of three characters or more cut into
    /// pieces, each of which a unit must contain (see `partialMatches`); nil
    /// when no run was cut, or a run that occurs nowhere has no pieces.
    private func piecesQuery(_ compiled: CompiledQuery, exactTotal: Int, highlights: inout [[String]]) throws(SearchError) -> XapianQuery? {
        guard !compiled.runs.isEmpty else { return nil }
        var words = compiled.words
        var cut = false
        for (index, run) in compiled.runs.sorted(by: { $0.key < $1.key }) {
            var pieces = try wordsInside(run)
            // A query that is this one word occurs exactly when it has exact hits.
            let alone = compiled.words.count == 1 && compiled.requiredForPartial.isEmpty && compiled.excluded == nil
            let occurs = alone ? exactTotal > 0 : try exists(compiled.filtered(words[index]))
            if !occurs {
                let longest = try longestPieces(of: run, compiled: compiled)
                if !longest.isEmpty { pieces = longest } else if pieces.count < 2 { return nil }
            }
            guard pieces.count > 1 || pieces.first?.count != run.count else { continue }
            highlights += pieces.map { $0.map(\.text) }
            let queries = pieces.map { compiler.sequenceQuery(Array($0)) }
            words[index] = .combine(.and, queries)
            cut = true
        }
        guard cut else { return nil }
        var query = XapianQuery.combine(.and, words + compiled.requiredForPartial)
        if let excluded = compiled.excluded { query = .combine(.andNot, [query, excluded]) }
        return query
    }

    /// `run` cut where two neighbouring characters rarely stand side by side
    /// in the index — termfreq(ab) / min(termfreq(a), termfreq(b)) below
    /// `Ranking.minimumBigramAssociation`, as for related units — into
    /// pieces of two characters or more: 数字化教学 → 数字化 + 教学, while
    /// 产教融合, whose 教融 is almost only ever written in it, stays whole.
    private func wordsInside(_ run: [Token]) throws(SearchError) -> [ArraySlice<Token>] {
        var pieces: [ArraySlice<Token>] = []
        var start = 0
        for boundary in 2..<max(2, run.count - 1) where boundary - start >= 2 {
            let pair = try frequency(run[boundary - 1].text + run[boundary].text)
            let alone = min(try frequency(run[boundary - 1].text), try frequency(run[boundary].text))
            if alone > 0, Double(pair) / Double(alone) < ranking.minimumBigramAssociation {
                pieces.append(run[start..<boundary])
                start = boundary
            }
        }
        pieces.append(run[start...])
        return pieces
    }

    /// For a run that occurs nowhere under the filters: cut left to right
    /// into the longest pieces that occur as written; the pieces of two
    /// characters or more, if they cover `minimumPieceCoverage` of the run
    /// (single characters say little about what was meant), else none.
    private func longestPieces(of run: [Token], compiled: CompiledQuery) throws(SearchError) -> [ArraySlice<Token>] {
        var pieces: [ArraySlice<Token>] = []
        var start = 0
        while start < run.count {
            // A prefix of a piece that occurs occurs too: binary search.
            var low = 1, high = run.count - start
            while low < high {
                let middle = (low + high + 1) / 2
                let piece = compiler.sequenceQuery(Array(run[start..<(start + middle)]))
                if try exists(compiled.filtered(piece)) { low = middle } else { high = middle - 1 }
            }
            pieces.append(run[start..<(start + low)])
            start += low
        }
        let kept = pieces.filter { $0.count >= 2 }
        let covered = kept.reduce(0) { $0 + $1.count }
        return Double(covered) >= Self.minimumPieceCoverage * Double(run.count) ? kept : []
    }

    private func frequency(_ term: String) throws(SearchError) -> Int {
        do {
            return try database.termFrequency(term)
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
    }

    /// Whether anything matches `query` (unranked: stops at the first match).
    func exists(_ query: XapianQuery) throws(SearchError) -> Bool {
        var options = searchOptions(limit: 1)
        options.sort = .unranked
        return try !run(query, options: options).hits.isEmpty
    }

    /// Whether each word of the query matches some unit under the filters.
    private func everyWordOccurs(_ compiled: CompiledQuery) throws(SearchError) -> Bool {
        for word in compiled.words where try !exists(compiled.filtered(word)) { return false }
        return true
    }

    var compiler: QueryCompiler { QueryCompiler(analyzer: analyzer, vocabulary: vocabulary, ranking: ranking) }

    /// Runs a Xapian search, translating its errors.
    func run(_ query: XapianQuery, options: XapianSearchOptions) throws(SearchError) -> XapianMatches {
        do {
            return try database.search(query, options: options)
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
    }

    /// Search options with the ranking's weighting parameters, leaving
    /// hit data to `record(_:)`.
    func searchOptions(limit: Int) -> XapianSearchOptions {
        var options = XapianSearchOptions()
        options.limit = limit
        options.k1 = ranking.k1
        options.b = ranking.b
        options.minNormLength = ranking.minNormLength
        // Hits are read through `record(_:)`, which keeps decoded data.
        options.skipData = true
        return options
    }

    /// A hit for `unit`, with a snippet marking `highlights` unless
    /// `snippetLength` is 0.
    func hit(for unit: StoredUnit.Record, score: Double, highlighting highlights: [[String]], snippetLength: Int) -> SearchHit {
        var hit = SearchHit(
            id: unit.id, kind: unit.kind, report: unit.report, year: unit.year, number: unit.number, title: unit.title,
            chapter: unit.chapter, sectionPath: unit.sectionPath, headings: unit.headings,
            schools: unit.schools.map { SchoolRef(id: $0, name: vocabulary.schoolName($0)) }, pages: unit.pages, score: score)
        if snippetLength > 0 {
            let snippet = Snippet.make(
                from: unit.text.isEmpty ? unit.title : unit.text, highlighting: highlights,
                analyzer: unit.convertsChinese ? analyzer : .foldingOnly, length: snippetLength,
                simplified: !unit.convertsChinese)
            hit.snippet = snippet.text
            hit.matches = snippet.matches
        }
        return hit
    }

    /// Display label of a facet value.
    func label(_ field: FacetField, _ value: String) -> String {
        switch field {
        case .school: return vocabulary.schoolName(value)
        case .kind: return UnitKind(rawValue: value)?.label ?? value
        case .report: return info.reports.first { $0.id == value }?.title ?? value
        case .chapter:
            let title = info.reports.lazy.flatMap(\.chapters).first { $0.number == value }?.title
            return title.map { value.first?.isNumber == true ? "\(value) \($0)" : $0 } ?? value
        case .year, .district, .dataYear: return value
        }
    }


    // MARK: - Units

    /// The unit with this id, as stored in the index.
    public func unit(_ id: String) throws(SearchError) -> ReportUnit {
        let found: (docid: UInt32, data: [UInt8])?
        do {
            found = try database.document(uniqueTerm: IndexSchema.Prefix.id + id)
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
        guard let found else {
            throw SearchError(.unitNotFound, "no unit '\(id)' in the index (ids look like gz-2024/case/1-12)", context: id)
        }
        do {
            return try StoredUnit.unit(from: found.data)
        } catch {
            throw SearchError(.indexCorrupt, "a stored unit cannot be read (\(error)); rebuild the index with `anli index`", context: location.database.path)
        }
    }

    /// The hit record of a document: from the cache, else read and decoded.
    func record(_ docid: UInt32) throws(SearchError) -> StoredUnit.Record {
        if let cached = records.record(docid) { return cached }
        let data: [UInt8]
        do {
            data = try database.data(ofDocument: docid)
        } catch {
            throw Self.translate(error, path: location.database.path)
        }
        guard let record = StoredUnit.record(from: data) else {
            throw SearchError(.indexCorrupt, "a stored unit cannot be read; rebuild the index with `anli index`", context: location.database.path)
        }
        records.insert(record, for: docid)
        return record
    }

    // MARK: - Explain

    private func explanation(for match: XapianHit, unitID: String, compiled: CompiledQuery, query: XapianQuery) throws(SearchError) -> Explanation {
        var terms: [Explanation.Term] = []
        for term in match.matchingTerms {
            // What a reader can place: words of the text or the title, and
            // the school a query named. Filter terms (XY2024, XKcase: weight
            // 0, the filters of the request) and ids are the index's own.
            let field: String
            let bare: String
            if term.hasPrefix(IndexSchema.Prefix.title) {
                (field, bare) = ("title", String(term.dropFirst(IndexSchema.Prefix.title.count)))
            } else if term.hasPrefix(IndexSchema.Prefix.aboutSchool) {
                (field, bare) = ("school", String(term.dropFirst(IndexSchema.Prefix.aboutSchool.count)))
            } else if term.first?.isUppercase == true {
                continue
            } else {
                (field, bare) = ("body", term)
            }
            let options = searchOptions(limit: 1)
            let only = XapianQuery.combine(.filter, [.term(term), .term(IndexSchema.Prefix.id + unitID)])
            let weight = try run(only, options: options).hits.first?.weight ?? 0
            do {
                let frequency = try database.termFrequency(term)
                terms.append(Explanation.Term(
                    term: bare, field: field, origin: compiled.origins[bare] ?? .literal,
                    weight: weight, unitFrequency: frequency))
            } catch {
                throw Self.translate(error, path: location.database.path)
            }
        }
        return Explanation(score: match.weight, terms: terms, query: query.description)
    }

    // MARK: - Errors

    static func translate(_ error: XapianError, path: String) -> SearchError {
        switch error.code {
        case .databaseOpening:
            return SearchError(.indexNotFound, "cannot open the index at \(path): \(error.message) (\(error.type)); build it with `anli index`", context: path)
        // A revision anli serves is never written again (a build makes a new
        // one): a DatabaseModifiedError that survived a reopen-and-retry
        // means its files changed under the reader, and a document that a
        // match just returned cannot be missing: both are damage. (Reading
        // positions and termlists of overwritten files meets them.)
        case .shardUnavailable:
            // The shard layer names the shard when it can ("shard 1 at …").
            let what = error.message.hasPrefix("shard ") ? error.message : "a shard of the index does not answer: \(error.message)"
            return SearchError(.shardUnavailable, "\(what); the other shards alone would give incomplete counts, so there is no answer until it is back", context: path)
        case .database, .databaseModified, .documentNotFound:
            return SearchError(.indexCorrupt, "the index at \(path) is damaged: \(error.message) (\(error.type)); rebuild it with `anli index`", context: path)
        default:
            return SearchError(.internal, "Xapian failed: \(error.message) (\(error.type))", context: path)
        }
    }
}
