import Foundation

/// How a revision spreads its units over shards, so that a build can run one
/// Xapian writer per core (Xapian allows one writer per database).
///
/// A revision of one shard is a Xapian database directory, as it always
/// was. A revision of n shards is a directory holding `shard-0` … `shard-n-1`
/// and a stub file `XAPIANDB` that lists them in Xapian's stub format
/// (`auto shard-0`), so that Xapian tools (`xapian-delve`, `xapian-tcpsrv`)
/// open it as one database, and so does anli.
///
/// Units are dealt out round robin in build order: unit k (from 0) goes to
/// shard k % n as that shard's document k / n + 1. Xapian numbers the
/// documents of n joined shards the same way (combined docid = (shard docid
/// - 1) × n + shard + 1), so every unit keeps the docid it would have in a
/// single database: the same ranking ties (broken by docid), the same order
/// of unranked results, the same ids, whatever the number of shards.
public enum ShardLayout {
    /// The stub file that joins the shards (Xapian's name for it inside a
    /// directory).
    public static let stubName = "XAPIANDB"

    /// At most this many shards: a build runs one writer thread per shard.
    public static let maximumShards = 64

    static func shardName(_ shard: Int) -> String { "shard-\(shard)" }

    /// The database directories of a revision at `revision` with `count`
    /// shards: the revision itself when there is one.
    static func databases(in revision: URL, count: Int) -> [URL] {
        count == 1 ? [revision] : (0..<count).map { revision.appendingPathComponent(shardName($0)) }
    }

    /// The stub's text: one `auto shard-k` line per shard, relative paths,
    /// so that the revision directory can move.
    static func stub(count: Int) -> String {
        (0..<count).map { "auto \(shardName($0))\n" }.joined()
    }

    static func writeStub(in revision: URL, count: Int) throws {
        try Data(stub(count: count).utf8).write(to: revision.appendingPathComponent(stubName), options: .atomic)
    }

    /// Of a report whose first unit is unit `base` of the build, the index
    /// of its first unit in `shard` (the next ones follow every `count`).
    static func firstUnit(inShard shard: Int, base: Int, count: Int) -> Int {
        ((shard - base) % count + count) % count
    }

    /// The shard count a build uses when the caller does not say: one writer
    /// per core, up to 4 (more shards than cores only add merging work to
    /// every search), and one shard for a corpus too small to gain from
    /// several (`bytes` of report files; the seed is 0.5 MB).
    public static func defaultCount(corpusBytes bytes: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        bytes < 8 << 20 ? 1 : max(1, min(cores, 4))
    }
}
