/// Decoded hit records of one open index revision, by docid, so that a unit
/// that keeps turning up in results is inflated (zlib, inside Xapian) and
/// decoded once rather than on every search: without snippets, reading
/// document data was the largest cost of a search.
///
/// Two generations approximate least-recently-used at the cost of two
/// dictionary lookups: records are added to `young`; a hit in `old` moves to
/// `young`; when `young` reaches half the budget it becomes `old` and the
/// previous `old` is dropped. The budget counts text bytes, so a cache over
/// a large corpus stays bounded (units vary from a table row to a chapter).
///
/// Docids are stable within a revision: a published database is never
/// written again (`IndexBuilder` builds each revision in a new directory),
/// and a `Searcher`, with its cache, is opened per revision. Not thread-safe,
/// like the `Searcher` that owns it.
struct RecordCache {
    /// Bytes of text (plus a fixed overhead per record) to keep, in total.
    let budget: Int
    private var young: [UInt32: StoredUnit.Record] = [:]
    private var old: [UInt32: StoredUnit.Record] = [:]
    private var youngBytes = 0

    /// Per-record bookkeeping beyond its text: ids, titles, dictionary slots.
    private static let overhead = 256

    init(budget: Int) {
        self.budget = budget
    }

    mutating func record(_ docid: UInt32) -> StoredUnit.Record? {
        if let record = young[docid] { return record }
        guard let record = old.removeValue(forKey: docid) else { return nil }
        insert(record, for: docid)
        return record
    }

    mutating func insert(_ record: StoredUnit.Record, for docid: UInt32) {
        guard budget > 0 else { return }
        young[docid] = record
        youngBytes += record.text.utf8.count + Self.overhead
        if youngBytes >= budget / 2 {
            old = young
            young = [:]
            youngBytes = 0
        }
    }

    var count: Int { young.count + old.count }
}
