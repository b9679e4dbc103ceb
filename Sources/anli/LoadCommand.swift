import ArgumentParser
import Foundation
import UnixHTTP

/// Drives a running daemon with keep-alive clients over its Unix socket and
/// reports throughput, latency and errors as JSON: the benchmark's daemon
/// rows (tools/bench) and the load tool (tools/load). Not for users: hidden
/// from help. Each client is a thread with a blocking connection, so the
/// generator's own cost per request stays small next to the daemon's.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-load",
        abstract: "Send a query file's searches to a daemon from concurrent keep-alive clients.",
        shouldDisplay: false
    )

    @Option(help: "The daemon's socket.")
    var socket: String

    @Option(help: "The query file (tools/bench/queries.json).")
    var queries: String

    @Option(help: "Concurrent keep-alive connections.")
    var clients = 8

    @Option(help: "Requests to send in all (after warm-up); the run also stops at --seconds.")
    var requests = 10_000

    @Option(help: "Upper bound on the timed run, in seconds.")
    var seconds = 120.0

    @Option(help: "Untimed requests per client first.")
    var warmup = 20

    @Option(help: "Snippet length asked for (0: no snippets).")
    var snippet = 120

    struct Summary: Encodable {
        var clients: Int
        var requests: Int
        var errors: Int
        /// The first few errors, as text.
        var errorSamples: [String]
        var seconds: Double
        var requestsPerSecond: Double
        /// Round trips as the client sees them, in microseconds.
        var p50Us: Double
        var p95Us: Double
        var p99Us: Double
        var maxUs: Double
        /// The daemon's own `took_us` for the same requests (median).
        var tookP50Us: Double
    }

    func validate() throws {
        guard clients >= 1, clients <= 1024 else { throw ValidationError("--clients must be between 1 and 1024") }
        guard requests >= 1 else { throw ValidationError("--requests must be at least 1") }
    }

    func run() throws {
        let file = try BenchQueryFile.read(queries)
        guard !file.queries.isEmpty else { throw ValidationError("\(queries) holds no queries") }
        let targets = file.queries.map { target(for: $0) }
        let plan = LoadPlan(targets: targets, requests: requests, deadline: seconds)

        // Every client connects and warms up before the clock starts.
        let ready = DispatchGroup()
        let done = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        var workers: [LoadWorker] = []
        for index in 0..<clients {
            let worker = LoadWorker(socketPath: socket, plan: plan, first: index)
            workers.append(worker)
            ready.enter()
            done.enter()
            let thread = Thread {
                worker.warmUp(requests: warmup)
                ready.leave()
                start.wait()
                worker.run()
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        ready.wait()
        plan.startClock()
        for _ in 0..<clients { start.signal() }
        done.wait()
        let elapsed = plan.elapsed()

        let latencies = workers.flatMap(\.latencies).sorted()
        let took = workers.flatMap(\.took).sorted()
        let errors = workers.reduce(0) { $0 + $1.errors }
        let samples = Array(workers.flatMap(\.errorSamples).prefix(5))
        func percentile(_ values: [Int], _ p: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let index = min(values.count - 1, max(0, Int((p / 100 * Double(values.count - 1)).rounded())))
            return Double(values[index]) / 1000
        }
        let sent = latencies.count + errors
        let summary = Summary(
            clients: clients, requests: sent, errors: errors, errorSamples: samples, seconds: elapsed,
            requestsPerSecond: elapsed > 0 ? Double(sent) / elapsed : 0,
            p50Us: percentile(latencies, 50), p95Us: percentile(latencies, 95), p99Us: percentile(latencies, 99),
            maxUs: percentile(latencies, 100), tookP50Us: took.isEmpty ? 0 : Double(took[took.count / 2]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        if errors > 0 { throw ExitCode(1) }
    }

    /// The request target for a query of the file, as a form would send it.
    func target(for query: BenchQueryFile.Query) -> String {
        "/v1/search" + formQuery((query.parameters + [("snippet", String(snippet))]).map { ($0.name, $0.value) })
    }
}

/// What the clients share: the request targets, how many requests remain,
/// and the clock.
final class LoadPlan: @unchecked Sendable {
    // @unchecked: mutable state is behind `lock`.
    let targets: [String]
    private let lock = NSLock()
    private var remaining: Int
    private let deadlineSeconds: Double
    private var started: UInt64 = 0

    init(targets: [String], requests: Int, deadline: Double) {
        self.targets = targets
        self.remaining = requests
        self.deadlineSeconds = deadline
    }

    func startClock() {
        lock.withLock { started = DispatchTime.now().uptimeNanoseconds }
    }

    func elapsed() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - lock.withLock { started }) / 1e9
    }

    /// Claims one request; false when the count or the time is used up.
    func claim() -> Bool {
        lock.withLock {
            guard remaining > 0, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 < deadlineSeconds else { return false }
            remaining -= 1
            return true
        }
    }
}

/// One keep-alive connection sending the plan's queries in turn, starting
/// at its own offset so that clients do not move in lockstep.
final class LoadWorker: @unchecked Sendable {
    // @unchecked: each worker is used by one thread; its results are read
    // after that thread has finished (DispatchGroup.wait orders the accesses).
    let socketPath: String
    let plan: LoadPlan
    private var next: Int
    private var client: UnixHTTPClient?
    private(set) var latencies: [Int] = []
    private(set) var took: [Int] = []
    private(set) var errors = 0
    private(set) var errorSamples: [String] = []

    init(socketPath: String, plan: LoadPlan, first: Int) {
        self.socketPath = socketPath
        self.plan = plan
        self.next = first * 7 % plan.targets.count
    }

    func warmUp(requests: Int) {
        for _ in 0..<requests { _ = send() }
        latencies.removeAll()
        took.removeAll()
        errors = 0
        errorSamples.removeAll()
    }

    func run() {
        while plan.claim() { _ = send() }
    }

    private func send() -> Bool {
        let target = plan.targets[next]
        next = (next + 1) % plan.targets.count
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            if client == nil { client = try UnixHTTPClient(socketPath: socketPath, timeout: 30) }
            let response = try client!.get(target)
            let elapsed = Int(DispatchTime.now().uptimeNanoseconds - started)
            guard response.status == 200 else {
                fail("HTTP \(response.status) for \(target): \(response.text.prefix(200))")
                return false
            }
            latencies.append(elapsed)
            if let value = Self.tookMicroseconds(in: response.body) { took.append(value) }
            return true
        } catch {
            // A broken connection: count it and reconnect for the next request.
            client = nil
            fail("\(target): \(error)")
            return false
        }
    }

    private func fail(_ message: String) {
        errors += 1
        if errorSamples.count < 5 { errorSamples.append(message) }
    }

    /// `"took_us":N` from a search response, without parsing the whole body:
    /// searched from the end, where sorted keys put it (after `hits`).
    static func tookMicroseconds(in body: [UInt8]) -> Int? {
        let key = Array(#""took_us":"#.utf8)
        guard body.count > key.count else { return nil }
        var index = body.count - key.count - 1
        while index >= 0 {
            if body[index] == key[0], body[index..<(index + key.count)].elementsEqual(key) {
                var value = 0
                var cursor = index + key.count
                while cursor < body.count, (body[cursor] &- 0x30) < 10 {
                    value = value * 10 + Int(body[cursor] - 0x30)
                    cursor += 1
                }
                return value
            }
            index -= 1
        }
        return nil
    }
}
