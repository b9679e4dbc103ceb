/// Which shard of which build a database is, written into every shard by
/// `IndexBuilder` (metadata `anli.shard`: "k/n BUILD", BUILD the revision's
/// name `db-…`) and checked by `Searcher` when it joins the shards.
///
/// Units are dealt out to shards by position (`ShardLayout`), so shards of
/// two builds, a shard missing, or shards listed out of order would give
/// units the wrong numbers and the searcher would show one unit's text
/// under another's id, silently. That cannot happen with `anli index`
/// alone, but shards copied to other hosts (`tools/shards`) or brought by
/// replication (`anli replicate`) arrive one by one.
struct ShardIdentity: Equatable, CustomStringConvertible {
    var shard: Int
    var count: Int
    var build: String

    var text: String { "\(shard)/\(count) \(build)" }
    var description: String { "shard \(shard) of \(count) of build \(build)" }

    init(shard: Int, count: Int, build: String) {
        self.shard = shard
        self.count = count
        self.build = build
    }

    init?(parsing text: String) {
        let parts = text.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let numbers = parts[0].split(separator: "/")
        guard numbers.count == 2, let shard = Int(numbers[0]), let count = Int(numbers[1]), count >= 1, (0..<count).contains(shard) else {
            return nil
        }
        self.init(shard: shard, count: count, build: String(parts[1]))
    }

    /// The identity of shard `shard` of `database`.
    static func read(shard: Int, of database: XapianDatabase, path: String) throws(SearchError) -> ShardIdentity {
        let text: String
        do {
            text = try database.metadata(IndexSchema.Metadata.shard, shard: shard)
        } catch {
            throw Searcher.translate(error, path: path)
        }
        guard let identity = ShardIdentity(parsing: text) else {
            // An index of an earlier schema has no identities: say that.
            let schema = (try? database.metadata(IndexSchema.Metadata.schemaVersion, shard: shard)) ?? ""
            if let version = Int(schema), version != IndexSchema.version { throw IndexMetadata.schemaMismatch(version, path: path) }
            if shard == 0, schema.isEmpty { throw IndexMetadata.notAnIndex(path: path) }
            throw SearchError(.indexCorrupt, "shard \(shard) of \(path) does not say which shard of which build it is (metadata \(IndexSchema.Metadata.shard) is \"\(text)\"); rebuild with `anli index`", context: path)
        }
        return identity
    }

    /// The build every shard of `database` belongs to. Throws
    /// `shard_mismatch` unless the shards are shards 0 … n-1 of one build,
    /// in that order.
    static func commonBuild(of database: XapianDatabase, path: String) throws(SearchError) -> String {
        let count = database.shardCount
        let first = try read(shard: 0, of: database, path: path)
        for shard in 0..<count {
            let identity = shard == 0 ? first : try read(shard: shard, of: database, path: path)
            let problem: String?
            if identity.build != first.build {
                problem = "shard \(shard) is \(identity), but shard 0 is \(first): shards of two builds number their units differently"
            } else if identity.count != count {
                problem = "it lists \(count) shard\(count == 1 ? "" : "s"), but its shard \(shard) is \(identity)"
            } else if identity.shard != shard {
                problem = "its line \(shard + 1) is \(identity): the shards are listed out of order"
            } else {
                problem = nil
            }
            if let problem {
                throw SearchError(.shardMismatch, "the shards of \(path) do not make one index: \(problem). Put every shard of one build in place, in order (`tools/shards`, `anli replicate`)", context: path)
            }
        }
        return first.build
    }
}
