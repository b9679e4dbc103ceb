import AnliTestSupport
import Foundation
import NIOCore
import SearchIndex
import SearchServer
import Testing

/// Serving a rebuilt index without a restart, and the index going away.
@Suite struct FreshnessTests {
    static let added = "/v1/search?q=\(formEncoded("\"新增内容\""))"

    @Test func reindexWhileClientsQueryFailsNoRequestThenServesTheNewContent() async throws {
        // Every request checks `current`: with the default 100 ms between
        // checks, the 16 requests after the second rebuild could all come
        // before the next check and the final assertion would be a race.
        try await TestDaemon.with(configure: { $0.reloadCheckInterval = .zero }) { daemon in
            #expect(try await daemon.get(Self.added).total == 0)
            let path = daemon.socketPath
            let stop = LockedFlag()
            let failures = LockedList()
            let served = LockedCounter()
            // Eight clients query in a loop while the index is rebuilt twice.
            let clients = Task.detached {
                onThreads(8) { index in
                    guard let client = try? UnixHTTPClient(socketPath: path) else { return failures.append("connect") }
                    while !stop.isSet {
                        do {
                            let response = try client.get("/v1/search?q=\(formEncoded(index % 2 == 0 ? "产教融合" : "课程"))&facets=kind&limit=3")
                            if response.status != 200 { failures.append("\(response.status) \(response.text)") }
                            served.increment()
                        } catch {
                            failures.append("\(error)")
                            return
                        }
                    }
                }
            }
            // Wait for the clients to be busy, and keep them busy across
            // each rebuild (a loaded machine may start threads late).
            func servedMore(_ count: Int) async throws {
                let target = served.value + count
                let deadline = Date().addingTimeInterval(60)
                while served.value < target, failures.values.isEmpty, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            try await servedMore(16)
            try daemon.addChapter()
            let first = try daemon.rebuild()
            try await servedMore(16)
            try daemon.rebuild()
            try await servedMore(16)
            stop.set()
            await clients.value
            #expect(failures.values.isEmpty, "\(failures.values.prefix(3))")
            #expect(served.value >= 48)
            let now = try await daemon.get(Self.added)
            #expect(now.hits.map { $0["id"] as? String } == ["gz-2024/section/8"])
            let stats = try await daemon.get("/v1/stats").json()
            #expect(stats["revision"] as? String != first.revision, "the second rebuild is served")
            #expect((stats["reloads"] as? Int ?? 0) >= 1)
        }
    }

    @Test func postReloadForcesTheCheck() async throws {
        // Without automatic checks, only a reload notices the new revision.
        try await TestDaemon.with(configure: { $0.reloadCheckInterval = .hours(1) }) { daemon in
            #expect(try await daemon.get(Self.added).total == 0)
            try daemon.addChapter()
            let summary = try daemon.rebuild()
            #expect(try await daemon.get(Self.added).total == 0, "still the old revision")
            let reload = try await daemon.request("POST", "/v1/reload")
            #expect(reload.status == 200, "\(reload.text)")
            let object = try reload.json()
            #expect(object["reloaded"] as? Bool == true)
            #expect(object["revision"] as? String == summary.revision)
            #expect(try await daemon.get(Self.added).total == 1)
            let again = try await daemon.request("POST", "/v1/reload")
            #expect(try again.json()["reloaded"] as? Bool == false)
            let wrongMethod = try await daemon.get("/v1/reload")
            #expect(wrongMethod.status == 405)
        }
    }

    @Test func aDeletedIndexIs503UntilItReturns() async throws {
        try await TestDaemon.with(configure: { $0.reloadCheckInterval = .zero }) { daemon in
            try await daemon.expectHealthy()
            try FileManager.default.removeItem(at: daemon.indexURL)
            for target in ["/v1/health", "/v1/search?q=AI", "/v1/units/gz-2024/case/1-12", "/v1/stats"] {
                let response = try await daemon.get(target)
                #expect(response.status == 503, "\(target): \(response.text)")
                #expect(response.errorCode == "index_not_found")
                #expect(response.text.contains("anli index"))
            }
            try daemon.rebuild()
            try await daemon.expectHealthy("served again once rebuilt")
            #expect(try await daemon.get("/v1/search?q=AI").status == 200)
        }
    }

    @Test func aDaemonStartedBeforeTheIndexServesItOnceBuilt() async throws {
        try await TestDaemon.with(buildIndex: false, configure: { $0.reloadCheckInterval = .zero }) { daemon in
            let before = try await daemon.get("/v1/search?q=AI")
            #expect(before.status == 503)
            try daemon.rebuild()
            #expect(try await daemon.get("/v1/search?q=AI").status == 200)
        }
    }
}

final class LockedFlag: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

final class LockedCounter: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
