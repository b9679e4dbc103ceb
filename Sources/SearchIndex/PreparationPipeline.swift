import Foundation

/// Prepares reports on background threads, in manifest order, at most
/// `lookahead` reports ahead of the writers (prepared documents hold a
/// report's whole text), and hands each to every one of the `consumers`
/// (the shard writers, each adding its share of the report's units).
///
/// Workers claim slots in order after taking a permit, so the slot the
/// writers wait for is always claimed by a worker that can finish it; a
/// slot's permit returns when its last consumer has taken it. `cancel()`
/// wakes every consumer with `Cancelled` (a writer failed: the others stop
/// too). `finish()` stops the workers (also after a failed build) and waits
/// for them, so no thread outlives the build.
final class PreparationPipeline: @unchecked Sendable {
    // @unchecked: the mutable state is behind `condition`; a prepared
    // report's XapianDocuments are only read by the writers, each document
    // by the one writer of its shard.
    typealias Prepared = IndexBuilder.PreparedReport?

    /// What `take(_:)` returns once `cancel()` was called.
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private var results: [Result<Prepared, any Error>?]
    private var taken: [Int]
    private var nextSlot = 0
    private var stopped = false
    private var cancelled = false
    private let permits: DispatchSemaphore
    private let lookahead: Int
    private let workers: Int
    private let consumers: Int
    private let group = DispatchGroup()

    init(count: Int, lookahead: Int, workers: Int, consumers: Int = 1, prepare: @escaping @Sendable (Int) throws -> Prepared) {
        results = Array(repeating: nil, count: count)
        taken = Array(repeating: 0, count: count)
        self.lookahead = lookahead
        self.consumers = consumers
        self.workers = max(1, min(workers, count))
        permits = DispatchSemaphore(value: lookahead)
        for _ in 0..<self.workers {
            DispatchQueue.global().async(group: group) { [self] in
                while true {
                    permits.wait()
                    guard let slot = claim() else { return }
                    let result = Result { try prepare(slot) }
                    condition.lock()
                    results[slot] = result
                    condition.broadcast()
                    condition.unlock()
                }
            }
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, nextSlot < results.count else { return nil }
        defer { nextSlot += 1 }
        return nextSlot
    }

    /// Waits for report `slot` (nil: nothing to prepare, it is reused). Each
    /// consumer takes every slot once, in order.
    func take(_ slot: Int) -> Result<Prepared, any Error> {
        condition.lock()
        while results[slot] == nil, !cancelled { condition.wait() }
        guard let result = results[slot], !cancelled else {
            condition.unlock()
            return .failure(Cancelled())
        }
        taken[slot] += 1
        let last = taken[slot] == consumers
        if last { results[slot] = .success(nil) }  // the consumers hold the documents now
        condition.unlock()
        if last { permits.signal() }
        return result
    }

    /// Wakes every consumer waiting in `take(_:)`; later takes fail at once.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        stopped = true
        condition.unlock()
        // Wake every worker that may be waiting for a permit.
        for _ in 0..<(workers + lookahead) { permits.signal() }
        group.wait()
    }
}
