import NIOCore

/// Runs a connection's task on its channel's event loop thread.
///
/// Without it, a request crossed threads five times: the event loop read
/// it, a cooperative-pool thread ran the connection's task, a worker
/// searched, the task resumed on the cooperative pool, and the event loop
/// wrote the answer — each hand-off a thread wake-up, together more than a
/// cached search costs on this 2-core machine. With the connection's task
/// preferring its event loop, a request is read and answered on one thread
/// and only the search itself moves to a worker (`SearcherPool`). The task
/// does no blocking work of its own: searches, exports' pages and index
/// checks all run on the pool's threads.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: immutable; EventLoop is thread-safe to enqueue onto.
    let eventLoop: EventLoop

    init(_ eventLoop: EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
