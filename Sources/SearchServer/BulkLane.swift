import NIOConcurrencyHelpers
import NIOCore

/// Admits at most `capacity` pieces of bulk work (export pages) onto the
/// worker pool at a time; the rest wait here, in arrival order, off the pool.
///
/// Why: `NIOThreadPool` serves work first come, first served. A hundred
/// exports put a hundred pages in its queue, and a search submitted after
/// them waited for all of them (seconds under load, and 503 `timeout` under
/// ThreadSanitizer's slowdown). With the lane, a search waits for at most
/// `capacity` pages, and exports still take turns with each other.
final class BulkLane: Sendable {
    let capacity: Int
    private struct State {
        var running = 0
        var waiting = CircularBuffer<CheckedContinuation<Void, Never>>()
    }
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Suspends until there is room. Every `enter()` must be followed by
    /// exactly one `leave()`, once the work has really finished on its thread
    /// (not when someone stopped waiting for it). Not cancellable, and it
    /// need not be: every admitted piece finishes (a pool that has shut
    /// down refuses work at once), so every waiter gets its turn.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLockedValue { state -> Bool in
                guard state.running < capacity else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    func leave() {
        // The place passes straight to the first waiter, so a newcomer
        // cannot overtake it.
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if let first = state.waiting.popFirst() { return first }
            state.running -= 1
            return nil
        }
        next?.resume()
    }

    /// Pieces of work admitted, and waiting (for tests).
    var load: (running: Int, waiting: Int) {
        state.withLockedValue { ($0.running, $0.waiting.count) }
    }
}
