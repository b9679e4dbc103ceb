import Foundation

/// Fills the shards of a build, one writer per shard: every writer walks
/// the reports in manifest order and adds its share of each report's units
/// (unit k of the build goes to shard k % n, see `ShardLayout`), parsed by
/// the `PreparationPipeline` or copied from the previous revision.
///
/// Shard 0 is filled on the caller's thread (`fill`), which also keeps the
/// books; `start` runs the other shards on threads of their own, each of
/// which commits its shard when done. A writer that fails cancels the
/// pipeline, so the others stop at their next report instead of waiting
/// for one that will never come.
final class ShardFill: @unchecked Sendable {
    // @unchecked: the fields are immutable; each writer and each database
    // handle is used by one thread only.
    let reportIDs: [String]
    /// Units of each report copied from the previous revision; nil for a
    /// report that is parsed.
    let reusedUnits: [Int?]
    /// The previous revision, for the threads to open their own handle on
    /// (Xapian handles are not shared between threads).
    let previousPath: String?
    let pipeline: PreparationPipeline
    let shardCount: Int

    init(reportIDs: [String], reusedUnits: [Int?], previousPath: String?, pipeline: PreparationPipeline, shardCount: Int) {
        self.reportIDs = reportIDs
        self.reusedUnits = reusedUnits
        self.previousPath = previousPath
        self.pipeline = pipeline
        self.shardCount = shardCount
    }

    /// The threads filling shards 1 …: `wait()` returns their failures.
    struct Running {
        fileprivate let group: DispatchGroup
        fileprivate let failures: FailureList

        func wait() -> [any Error] {
            group.wait()
            return failures.all
        }
    }

    /// Starts one thread per writer, filling shards 1, 2, … in that order,
    /// and committing each when its share is in.
    func start(writers: [XapianWritableDatabase]) -> Running {
        let running = Running(group: DispatchGroup(), failures: FailureList())
        for (offset, writer) in writers.enumerated() {
            let job = WriterJob(writer: writer)
            running.group.enter()
            let thread = Thread { [self] in
                defer { running.group.leave() }
                do {
                    let previous = try previousPath.map { path throws(XapianError) in try XapianDatabase(path: path) }
                    try fill(shard: offset + 1, writer: job.writer, previous: previous) { _, _ in }
                    try job.writer.close()
                } catch {
                    pipeline.cancel()
                    running.failures.append(error)
                }
            }
            thread.name = "anli-shard-\(offset + 1)"
            thread.start()
        }
        return running
    }

    /// Adds shard `shard`'s share of every report to `writer`, calling
    /// `each` after each report with what the pipeline prepared for it.
    func fill(
        shard: Int, writer: XapianWritableDatabase, previous: XapianDatabase?,
        each: (Int, IndexBuilder.PreparedReport?) throws -> Void
    ) throws {
        var base = 0  // the build's number of the report's first unit
        for slot in reportIDs.indices {
            let prepared = try pipeline.take(slot).get()
            let first = ShardLayout.firstUnit(inShard: shard, base: base, count: shardCount)
            if let units = reusedUnits[slot], let previous {
                if first < units {
                    try writer.addDocuments(
                        from: previous, withTerm: IndexSchema.Prefix.report + reportIDs[slot], first: first, stride: shardCount)
                }
                base += units
            } else if let report = prepared {
                for unit in stride(from: first, to: report.documents.count, by: shardCount) {
                    try writer.add(report.documents[unit])
                }
                base += report.documents.count
            }
            try each(slot, prepared)
        }
    }
}

/// A writer handed to the thread that alone uses it from then on.
private struct WriterJob: @unchecked Sendable {
    let writer: XapianWritableDatabase
}

/// Errors collected from several threads.
final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [any Error] = []

    func append(_ error: any Error) {
        lock.lock()
        failures.append(error)
        lock.unlock()
    }

    var all: [any Error] {
        lock.lock()
        defer { lock.unlock() }
        return failures
    }
}
