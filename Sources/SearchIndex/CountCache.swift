/// Exact totals and facet counts of recent requests on one open index
/// revision, so that the next page of a query, or the same query asked
/// again, is ranked without counting every match again: on a large index
/// the counting pass is most of a search (产教融合 over 55,000 units: 5.3 ms
/// with the count, about 1 ms for the ranked page alone). Elasticsearch's
/// shard request cache keeps the same thing (totals and aggregations) for
/// the same reason.
///
/// The counts depend only on what matches: the query, the filters and the
/// facets asked for; never on the page, the sort or the snippets. A
/// published revision never changes (see `RevisionSeal`), and a `Searcher`
/// with its cache is opened per revision, so an entry is never stale.
/// Two generations bounded by an estimate of their bytes, as in
/// `RecordCache`. Not thread-safe, like the `Searcher` that owns it.
struct CountCache {
    struct Key: Hashable {
        var query: String
        var filters: [String]
        var facets: [Int]

        init(_ request: SearchRequest) {
            query = request.query
            filters = request.filters.sorted { $0.key.rawValue < $1.key.rawValue }.map { field, values in
                field.rawValue + "\u{1F}" + values.joined(separator: "\u{1F}")
            }
            facets = request.facets.map(\.slot).sorted()
        }
    }

    struct Counts {
        var total: Int
        var facets: [Int: [(value: [UInt8], count: Int)]]

        /// What an entry costs: the facet values' bytes and a fixed share
        /// for the key, the dictionary slot and each value's array.
        var bytes: Int {
            facets.values.reduce(128) { sum, values in values.reduce(sum + 32) { $0 + $1.value.count + 24 } }
        }
    }

    /// Bytes to keep in total; 0 keeps nothing.
    let budget: Int
    private var young: [Key: Counts] = [:]
    private var old: [Key: Counts] = [:]
    private var youngBytes = 0

    init(budget: Int) {
        self.budget = budget
    }

    mutating func counts(_ key: Key) -> Counts? {
        if let counts = young[key] { return counts }
        guard let counts = old.removeValue(forKey: key) else { return nil }
        insert(counts, for: key)
        return counts
    }

    mutating func insert(_ counts: Counts, for key: Key) {
        let bytes = counts.bytes
        // An entry bigger than a generation (a facet of every school of
        // thousands of reports) would only push everything else out.
        guard budget > 0, bytes <= budget / 2 else { return }
        young[key] = counts
        youngBytes += bytes
        if youngBytes >= budget / 2 {
            old = young
            young = [:]
            youngBytes = 0
        }
    }

    var count: Int { young.count + old.count }
}
