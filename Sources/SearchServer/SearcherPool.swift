import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SearchIndex

/// The daemon's `Searcher`s and the threads that use them.
///
/// Xapian handles have no locking (XAPIAN-NOTES), so a `Searcher` is checked
/// out by one worker thread for one piece of work and checked back in; with
/// N worker threads there are at most N in use. Every Xapian call runs on
/// the `NIOThreadPool`, never on an event loop.
///
/// Freshness: at most every `checkInterval`, a checkout resolves
/// `index/current` again (one `readlink`). When it points at another
/// revision, idle searchers of the old one are dropped and NEW ones are opened
/// for new work: `reopen()` is not enough after a directory swap. Work in
/// flight keeps its old searcher until it is checked in, then it is dropped.
/// When the index directory disappears, every request gets `index_not_found`
/// (503) until it is back.
///
/// An index of remote shards has no `current` to watch: the shard hosts
/// change builds behind it. A forced check (SIGHUP, `POST /v1/reload`)
/// then starts a new generation: searchers of older generations are
/// dropped, and new ones connect again, to whatever build the shard servers
/// serve now (refused with `shard_mismatch` while they serve two).
final class SearcherPool: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `lock`; a checked-out
    // Searcher is used by exactly one thread until it is checked in.
    let directory: URL
    let threadPool: NIOThreadPool
    let threadPoolSize: Int
    /// Export pages take turns here so that searches never queue behind
    /// more than one worker's worth of them (see `BulkLane`).
    let bulkLane: BulkLane
    private let checkInterval: UInt64
    private let logger: Logger
    private let lock = NIOLock()
    private var database: String?
    private var revision: String?
    private var idle: [Searcher] = []
    /// Bumped by a forced check of an index with remote shards; a searcher
    /// of an older generation is not reused.
    private var generation = 0
    private var generationOf: [ObjectIdentifier: Int] = [:]
    /// The build the newest searcher opened (`Searcher.build`).
    private var build: String?
    /// The files of the served revision as its first searcher found them:
    /// checked before another searcher opens them.
    private var servedSeal: (seal: RevisionSeal, revision: String)?
    private var unavailable: SearchError?
    private let countCacheBytes: Int
    private let shardTimeout: Duration
    private var lastCheck: UInt64 = 0
    private var reloadCount = 0

    init(
        directory: URL, threads: Int, countCacheBytes: Int = Searcher.defaultCountCacheBytes,
        shardTimeout: Duration = Searcher.defaultShardTimeout, checkInterval: TimeAmount, logger: Logger
    ) {
        self.directory = directory
        self.countCacheBytes = countCacheBytes
        self.shardTimeout = shardTimeout
        self.threadPoolSize = max(1, threads)
        self.threadPool = NIOThreadPool(numberOfThreads: max(1, threads))
        // With two workers, at most one is busy with export pages; with
        // one, a search waits for at most one page.
        self.bulkLane = BulkLane(capacity: max(1, threads - 1))
        self.checkInterval = UInt64(max(0, checkInterval.nanoseconds))
        self.logger = logger
    }

    func start() { threadPool.start() }

    func shutdown() async {
        try? await threadPool.shutdownGracefully()
    }

    /// The revision last seen (`db-…`), nil while there is no usable index.
    var currentRevision: String? { lock.withLock { revision } }
    /// The build last opened, nil before the first searcher.
    var currentBuild: String? { lock.withLock { build } }
    var reloads: Int { lock.withLock { reloadCount } }

    // MARK: - Checkout (blocking: call on a worker thread)

    func checkOut(forceCheck: Bool = false) throws(SearchError) -> Searcher {
        let now = DispatchTime.now().uptimeNanoseconds
        let due = lock.withLock { () -> Bool in
            guard forceCheck || database == nil || now &- lastCheck >= checkInterval else { return false }
            lastCheck = now
            return true
        }
        if due {
            let changed = try checkRevision()
            if forceCheck, !changed, (try? IndexLocation.resolve(directory))?.listsRemoteShards == true { reconnectRemoteShards() }
        }
        let (reused, problem) = lock.withLock { () -> (Searcher?, SearchError?) in
            if let unavailable { return (nil, unavailable) }
            return (idle.popLast(), nil)
        }
        if let problem { throw problem }
        if let reused {
            try refuseIfUnsealed(reused)
            return reused
        }
        // Opening reads the metadata: not from files written since the
        // revision's first searcher opened them.
        if let first = lock.withLock({ servedSeal }) { try refuse(ifBroken: first.seal, revision: first.revision) }
        let searcher = try Searcher(index: directory, countCacheBytes: countCacheBytes, shardTimeout: shardTimeout)
        lock.withLock {
            generationOf[ObjectIdentifier(searcher)] = generation
            build = searcher.build
            // Opened after a swap the last check did not see yet: that is
            // the newest revision now (`current` only moves forward).
            if searcher.location.database.path != database {
                adopt(database: searcher.location.database.path, revision: searcher.location.revision)
            }
            if servedSeal == nil, searcher.location.database.path == database {
                servedSeal = (searcher.seal, searcher.location.revision)
            }
        }
        return searcher
    }

    /// A revision whose files changed after it was published is not read
    /// again (`RevisionSeal`): 503 `index_corrupt` until `current` moves to a
    /// new revision.
    private func refuseIfUnsealed(_ searcher: Searcher) throws(SearchError) {
        try refuse(ifBroken: searcher.seal, revision: searcher.location.revision)
    }

    private func refuse(ifBroken seal: RevisionSeal, revision: String) throws(SearchError) {
        do {
            try seal.check(revision: revision)
        } catch {
            let first = lock.withLock { () -> Bool in
                guard seal.directory == database, unavailable == nil else { return false }
                unavailable = error
                dropIdle()
                return true
            }
            if first { logger.error("the served revision was written to; answering 503 until a new one is built", metadata: ["error": "\(error)"]) }
            throw error
        }
    }

    func checkIn(_ searcher: Searcher) {
        lock.withLock {
            let id = ObjectIdentifier(searcher)
            if searcher.location.database.path == database, unavailable == nil, generationOf[id] == generation {
                idle.append(searcher)
            } else {
                // An old revision's or generation's: dropping it closes it.
                generationOf[id] = nil
            }
        }
    }

    /// Forgets a checked-out searcher instead of checking it in.
    func discard(_ searcher: Searcher) {
        _ = lock.withLock { generationOf.removeValue(forKey: ObjectIdentifier(searcher)) }
    }

    /// Drops every searcher of the current generation (idle now, or when it
    /// is checked in), so that new ones connect to the remote shards again.
    private func reconnectRemoteShards() {
        lock.withLock {
            generation += 1
            dropIdle()
            // The description itself may have been rewritten (new shard
            // addresses): its seal is taken again by the next searcher.
            servedSeal = nil
            if unavailable?.code == .indexCorrupt { unavailable = nil }
        }
        logger.info("connecting to the remote shards again", metadata: ["index": "\(directory.path)"])
    }

    /// Must hold `lock`.
    private func dropIdle() {
        for searcher in idle { generationOf[ObjectIdentifier(searcher)] = nil }
        idle.removeAll()
    }

    /// Resolves `current` again; on a new revision, drops idle searchers.
    /// Returns whether the revision changed.
    @discardableResult
    func checkRevision() throws(SearchError) -> Bool {
        let location: IndexLocation
        do throws(SearchError) {
            location = try IndexLocation.resolve(directory)
            // A `current` that points at a deleted revision is as bad as none.
            guard FileManager.default.fileExists(atPath: location.database.path) else {
                throw SearchError(.indexNotFound, "the index revision \(location.revision) in \(directory.path) is gone; rebuild with `anli index`", context: directory.path)
            }
        } catch {
            let wasServing = lock.withLock { () -> Bool in
                let wasServing = unavailable == nil
                unavailable = error
                database = nil
                servedSeal = nil
                revision = nil
                dropIdle()
                return wasServing
            }
            if wasServing { logger.error("index unavailable, answering 503 until it is back", metadata: ["error": "\(error)"]) }
            throw error
        }
        return lock.withLock { () -> Bool in
            guard location.database.path != database else { return false }
            adopt(database: location.database.path, revision: location.revision)
            return true
        }
    }

    /// Must hold `lock`.
    private func adopt(database: String, revision: String) {
        let previous = self.revision
        self.database = database
        self.revision = revision
        unavailable = nil
        dropIdle()
        servedSeal = nil
        if previous != nil { reloadCount += 1 }
        logger.info("serving index revision", metadata: ["revision": "\(revision)", "previous": "\(previous ?? "none")"])
    }

    // MARK: - Running work off the event loop

    /// Runs `body` with a searcher on a worker thread. Fails with `timeout`
    /// (503) when it takes longer than `timeLimit`: the answer is abandoned
    /// (a Xapian call cannot be interrupted) and the worker finishes it.
    func run<T: Sendable>(
        timeLimit: TimeAmount, on eventLoop: EventLoop, forceCheck: Bool = false,
        _ body: @escaping @Sendable (Searcher) throws -> T
    ) async throws -> T {
        try await runTimed(timeLimit: timeLimit, on: eventLoop) {
            let searcher = try self.checkOut(forceCheck: forceCheck)
            do {
                let result = try body(searcher)
                self.checkIn(searcher)
                return result
            } catch let error as SearchError where error.code == .shardUnavailable || error.code == .shardMismatch {
                // Its remote shards failed, or serve another build now: the
                // next request opens the index anew (and checks the shards).
                self.discard(searcher)
                throw error
            } catch {
                self.checkIn(searcher)
                throw error
            }
        }
    }

    /// Runs one piece of bulk work (an export's page, or its checkout) on a
    /// worker thread, behind `bulkLane`, under the same time limit as a
    /// search. On `timeout` the worker may still be running `body`: a caller
    /// holding a searcher for it must not check that searcher in.
    func runBulk<T: Sendable>(
        timeLimit: TimeAmount, on eventLoop: EventLoop,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        await bulkLane.enter()
        return try await runTimed(timeLimit: timeLimit, on: eventLoop, whenFinished: { self.bulkLane.leave() }, body)
    }

    /// `whenFinished` runs once `body` has returned on its thread (or was
    /// never started), however long after the caller stopped waiting.
    private func runTimed<T: Sendable>(
        timeLimit: TimeAmount, on eventLoop: EventLoop, whenFinished: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let once = NIOLockedValueBox<CheckedContinuation<T, Error>?>(nil)
        let scheduled = NIOLockedValueBox<Scheduled<Void>?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            once.withLockedValue { $0 = continuation }
            let finish: @Sendable (Result<T, Error>) -> Void = { result in
                once.withLockedValue { pending in
                    let taken = pending
                    pending = nil
                    return taken
                }?.resume(with: result)
            }
            scheduled.withLockedValue {
                $0 = eventLoop.scheduleTask(in: timeLimit) {
                    finish(.failure(APIError(.timeout, "the request took longer than \(timeLimit.nanoseconds / 1_000_000) ms and was abandoned", status: .serviceUnavailable)))
                }
            }
            threadPool.submit { state in
                defer { whenFinished() }
                guard case .active = state else {
                    scheduled.withLockedValue { $0?.cancel() }
                    finish(.failure(APIError(.shuttingDown, "the server is shutting down", status: .serviceUnavailable)))
                    return
                }
                let result = Result<T, Error> { try body() }
                scheduled.withLockedValue { $0?.cancel() }
                finish(result)
            }
        }
    }
}

/// A searcher held across several pieces of work (one export), so that all
/// its pages come from one revision.
final class SearcherLease: @unchecked Sendable {
    // @unchecked: the export runs its pages one after another, each as one
    // work item on the thread pool, so the searcher is never used by two
    // threads at once.
    let searcher: Searcher
    init(_ searcher: Searcher) { self.searcher = searcher }
}
