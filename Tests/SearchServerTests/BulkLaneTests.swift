import AnliTestSupport
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SearchIndex
import Testing

@testable import SearchServer

/// Export pages take turns in the bulk lane instead of queueing on the
/// worker pool, where every search behind them would wait for all of them.
struct BulkLaneTests {
    @Test func placesPassInArrivalOrder() async throws {
        let lane = BulkLane(capacity: 1)
        await lane.enter()
        let order = NIOLockedValueBox<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for waiter in 1...3 {
                tasks.addTask {
                    await lane.enter()
                    order.withLockedValue { $0.append(waiter) }
                    lane.leave()
                }
                // Queue them one at a time, so that arrival order is known.
                try await waitUntil { lane.load.waiting == waiter }
            }
            #expect(lane.load == (running: 1, waiting: 3))
            lane.leave()
            try await tasks.waitForAll()
        }
        #expect(order.withLockedValue { $0 } == [1, 2, 3])
        #expect(lane.load == (running: 0, waiting: 0))
    }

    @Test func aSearchWaitsForOnePageNotForEveryPageQueued() async throws {
        try await withPool(threads: 1) { pool, eventLoop in
            let order = NIOLockedValueBox<[String]>([])
            let firstPageHeld = DispatchSemaphore(value: 0)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for page in 1...4 {
                    tasks.addTask {
                        try await pool.runBulk(timeLimit: .seconds(60), on: eventLoop) {
                            if page == 1 { firstPageHeld.wait() }
                            order.withLockedValue { $0.append("page \(page)") }
                        }
                    }
                    try await waitUntil { pool.bulkLane.load.running + pool.bulkLane.load.waiting == page }
                }
                // Page 1 holds the only worker and pages 2-4 wait in the
                // lane. A search now goes into the pool's queue (as
                // `SearcherPool.run` does), ahead of pages 2-4.
                pool.threadPool.submit { _ in order.withLockedValue { $0.append("search") } }
                firstPageHeld.signal()
                try await tasks.waitForAll()
            }
            // Without the lane, all four pages were in the pool's queue
            // first: the search came fifth.
            #expect(order.withLockedValue { $0 } == ["page 1", "search", "page 2", "page 3", "page 4"])
        }
    }

    @Test func aPageAbandonedAtTheTimeLimitKeepsItsPlaceUntilItFinishes() async throws {
        try await withPool(threads: 2) { pool, eventLoop in
            let release = DispatchSemaphore(value: 0)
            let finished = NIOLockedValueBox(false)
            await #expect(throws: APIError.self) {
                try await pool.runBulk(timeLimit: .milliseconds(50), on: eventLoop) {
                    release.wait()
                    finished.withLockedValue { $0 = true }
                }
            }
            // Still running on its worker: the next page must not start
            // beside it.
            #expect(pool.bulkLane.load.running == 1)
            #expect(!finished.withLockedValue { $0 })
            release.signal()
            try await waitUntil { pool.bulkLane.load.running == 0 }
            #expect(finished.withLockedValue { $0 })
            // And the lane still admits work.
            let answer = try await pool.runBulk(timeLimit: .seconds(60), on: eventLoop) { 42 }
            #expect(answer == 42)
        }
    }

    // MARK: - Helpers

    private func withPool(threads: Int, _ body: (SearcherPool, EventLoop) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "anli-lane")
        let index = directory.url.appendingPathComponent("index")
        _ = try IndexBuilder(corpus: Repository.corpus, index: index).build()
        let pool = SearcherPool(directory: index, threads: threads, checkInterval: .seconds(1), logger: TestDaemon.quietLogger)
        pool.start()
        do {
            try await body(pool, MultiThreadedEventLoopGroup.singleton.next())
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    /// Polls `condition` (state that changes on other threads) for up to a minute.
    private func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<60_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the condition never held", sourceLocation: sourceLocation)
    }
}
