import Foundation

/// Keeps an index directory a read replica of another host's index, with
/// Xapian's own replication: `xapian-replicate-server` serves the indexing
/// host's index directory, and each update here runs the stock
/// `xapian-replicate` client once per shard, then publishes the shards as a
/// revision of this directory, the way `anli index` publishes a build.
///
/// Xapian replicates one database at a time, and switches each replica to
/// its new copy on its own. The shards of a build arrive one after another,
/// and the indexing host may publish a newer build between two of them. So
/// the replicated copies are kept apart (`replicas/shard-k`), and a revision
/// is published only when every shard is shard k of n of the same build
/// (`ShardIdentity`): a daemon serving this directory keeps answering from
/// the previous complete build until then, and switches at once (one rename
/// of `current`), as after a local build.
///
/// The published revision is named after the build (`db-…`, as on the
/// indexing host) and holds hard links to the replicated files, not copies:
/// xapian-replicate writes every new build into a fresh directory and
/// deletes the old one, which leaves the links (and the revision's seal)
/// intact.
public struct Replica: Sendable {
    /// The host and port of `xapian-replicate-server`, which serves the
    /// indexing host's index directory (the one holding `current`).
    public var host: String
    public var port: Int
    /// This host's index directory, which `anli serve` serves.
    public var indexDirectory: URL
    /// The replication client.
    public var client = "/usr/bin/xapian-replicate"
    /// Seconds a silent master may take before a replication fails.
    public var socketTimeout = 60

    /// Where the replicated copies are kept between updates (so that an
    /// unchanged shard costs one question to the master).
    static let replicasName = "replicas"

    public init(host: String, port: Int, indexDirectory: URL) {
        self.host = host
        self.port = port
        self.indexDirectory = indexDirectory
    }

    public enum Outcome: Sendable, Equatable {
        /// A new build was published as revision `build`.
        case published(build: String, shards: Int)
        /// This directory serves the master's build already.
        case upToDate(build: String)
    }

    /// Brings every shard of the master's current build here and publishes
    /// them once they make one build. Tries again (up to `attempts` times)
    /// when the master switched builds during the update.
    public func update(attempts: Int = 3) throws(SearchError) -> Outcome {
        // One writer per index directory, whether it builds or replicates.
        let lock = try IndexLock(creating: indexDirectory)
        defer { withExtendedLifetime(lock) {} }
        do {
            try FileManager.default.createDirectory(at: replicas, withIntermediateDirectories: true)
        } catch {
            throw SearchError(.indexWriteFailed, "cannot create \(replicas.path): \(error.localizedDescription)", context: replicas.path)
        }
        var lastMismatch: SearchError?
        for _ in 0..<max(1, attempts) {
            let first = try replicateFirstShard()
            for shard in 1..<max(1, first.count) {
                try replicate(master: "\(IndexLocation.currentLink)/\(ShardLayout.shardName(shard))", into: copy(of: shard))
            }
            switch try publishIfComplete() {
            case .some(let outcome):
                removeCopies(from: first.count)
                return outcome
            case .none:
                lastMismatch = SearchError(.shardMismatch, "the master at \(host):\(port) published a new build while its shards were being copied", context: indexDirectory.path)
            }
        }
        throw lastMismatch ?? SearchError(.internal, "replication made no attempt")
    }

    /// Publishes the replicated shards if they are shards 0 … n-1 of one
    /// build; nil when they are not (yet). Does not talk to the master.
    func publishIfComplete() throws(SearchError) -> Outcome? {
        let first = try identity(of: copy(of: 0))
        var live: [URL] = []
        for shard in 0..<first.count {
            let copy = copy(of: shard)
            guard FileManager.default.fileExists(atPath: copy.path), try identity(of: copy) == ShardIdentity(shard: shard, count: first.count, build: first.build) else {
                return nil
            }
            live.append(try liveDatabase(in: copy))
        }
        let previous = try? IndexLocation.resolve(indexDirectory)
        if previous?.revision == first.build { return .upToDate(build: first.build) }

        let final = indexDirectory.appendingPathComponent(first.build)
        let building = indexDirectory.appendingPathComponent(first.build + ".tmp")
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: building)
        // A revision of this name that `current` does not point at is a
        // leftover (an earlier publish that failed to switch): replace it.
        try? fileManager.removeItem(at: final)
        do {
            let targets = ShardLayout.databases(in: building, count: first.count)
            if first.count > 1 { try fileManager.createDirectory(at: building, withIntermediateDirectories: false) }
            for (source, target) in zip(live, targets) { try Self.link(source, to: target) }
            if first.count > 1 { try ShardLayout.writeStub(in: building, count: first.count) }
            // What is published must open as the build it claims to be.
            let database = try XapianDatabase(path: building.path)
            guard try ShardIdentity.commonBuild(of: database, path: building.path) == first.build else {
                throw SearchError(.shardMismatch, "the revision assembled from \(replicas.path) is not build \(first.build)", context: building.path)
            }
            _ = try IndexMetadata.read(from: database, path: building.path)
        } catch {
            try? fileManager.removeItem(at: building)
            if let error = error as? SearchError { throw error }
            if let error = error as? XapianError { throw Searcher.translate(error, path: building.path) }
            throw SearchError(.indexWriteFailed, "cannot assemble the replicated revision: \(error.localizedDescription)", context: building.path)
        }
        let revisions = RevisionSwitch(indexDirectory: indexDirectory)
        try revisions.publish(building: building, final: final)
        revisions.pruneOldRevisions(keeping: [first.build, previous?.revision].compactMap { $0 })
        return .published(build: first.build, shards: first.count)
    }

    // MARK: - Replicating

    private var replicas: URL { indexDirectory.appendingPathComponent(Self.replicasName) }

    func copy(of shard: Int) -> URL { replicas.appendingPathComponent(ShardLayout.shardName(shard)) }

    /// Shard 0 of the master's build, and so how many shards it has. An
    /// unsharded build has no `shard-0`: its revision is the database.
    private func replicateFirstShard() throws(SearchError) -> ShardIdentity {
        do {
            try replicate(master: "\(IndexLocation.currentLink)/\(ShardLayout.shardName(0))", into: copy(of: 0))
        } catch let sharded {
            // "Couldn't stat …/current/shard-0": the build is one database.
            guard sharded.message.contains("Couldn't stat") else { throw sharded }
            try replicate(master: IndexLocation.currentLink, into: copy(of: 0))
        }
        return try identity(of: copy(of: 0))
    }

    /// Runs `xapian-replicate` once: `master` (a path under the master's
    /// index directory) into `destination`.
    private func replicate(master: String, into destination: URL) throws(SearchError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: client)
        process.arguments = ["--host", host, "--port", String(port), "--master", master, "--one-shot", "--quiet",
                             "--timeout", String(socketTimeout), destination.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SearchError(.internal, "cannot run \(client) (is xapian-tools installed? tools/setup installs it): \(error.localizedDescription)", context: client)
        }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SearchError(.shardUnavailable, "replicating \(master) from \(host):\(port) failed: \(message.isEmpty ? "exit status \(process.terminationStatus)" : message)", context: "\(host):\(port)")
        }
    }

    private func identity(of copy: URL) throws(SearchError) -> ShardIdentity {
        let database: XapianDatabase
        do {
            database = try XapianDatabase(path: copy.path)
        } catch {
            throw Searcher.translate(error, path: copy.path)
        }
        return try ShardIdentity.read(shard: 0, of: database, path: copy.path)
    }

    /// The live database of a replicated copy: xapian-replicate keeps a
    /// stub `XAPIANDB` whose `auto replica_N` line names it.
    private func liveDatabase(in copy: URL) throws(SearchError) -> URL {
        let stub = copy.appendingPathComponent(ShardLayout.stubName)
        let text = (try? String(contentsOf: stub, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1, lines[0].hasPrefix("auto "), case let name = lines[0].dropFirst(5), !name.contains("/") else {
            throw SearchError(.indexCorrupt, "\(stub.path) is not a replica's stub (one `auto replica_N` line)", context: stub.path)
        }
        return copy.appendingPathComponent(String(name))
    }

    /// Copies of shards the current build no longer has (it has fewer).
    private func removeCopies(from count: Int) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: replicas.path)) ?? []
        for name in names where name.hasPrefix("shard-") {
            if let shard = Int(name.dropFirst("shard-".count)), shard >= count {
                try? FileManager.default.removeItem(at: replicas.appendingPathComponent(name))
            }
        }
    }

    /// Links every file of the database `source` into a new directory
    /// `target` (copies where hard links are impossible: another file
    /// system). The lock file is left out: it belongs to xapian-replicate,
    /// which touches it, and readers do not use it.
    static func link(_ source: URL, to target: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: target, withIntermediateDirectories: false)
        for name in try fileManager.contentsOfDirectory(atPath: source.path) where name != "flintlock" {
            let from = source.appendingPathComponent(name)
            let to = target.appendingPathComponent(name)
            if Glibc.link(from.path, to.path) != 0 { try fileManager.copyItem(at: from, to: to) }
        }
    }
}
