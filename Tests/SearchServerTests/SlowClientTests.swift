import AnliTestSupport
import Foundation
import Testing

/// Slow and stalled clients: connections that dribble a request byte by
/// byte (its head, or a body for ever), or start an export and never read
/// it, must not keep others from being served, and the time limits close
/// them.
@Suite struct SlowClientTests {
    @Test func tricklingAndStalledClientsDoNotStarveOthersAndAreClosed() async throws {
        try await TestDaemon.with(configure: { $0.stalledReaderTimeout = .seconds(2) }) { daemon in
            let path = daemon.socketPath
            let outcome = try await blocking { () -> (served: Int, failures: [String], stillOpen: Int) in
                // 100 connections that send a request one byte at a time.
                let tricklers = try (0..<100).map { _ in try UnixHTTPClient(socketPath: path, timeout: 30) }
                // 100 that ask for a large export (every unit, ~1 MB) and never read it.
                let stalled = try (0..<100).map { _ in try UnixHTTPClient(socketPath: path, timeout: 30) }
                for client in stalled { try client.send("GET /v1/export?kind=section&kind=case&kind=table&kind=row&kind=figure HTTP/1.1\r\nHost: anli\r\n\r\n") }
                // 10 that promise a body under the size limit and send it a
                // byte at a time, for as long as the connection lasts.
                let bodyTricklers = try (0..<10).map { _ in try UnixHTTPClient(socketPath: path, timeout: 30) }
                for client in bodyTricklers { try client.send("POST /v1/reload HTTP/1.1\r\nHost: anli\r\nContent-Length: 60000\r\n\r\n") }
                func trickleBodies() {
                    for client in bodyTricklers where !client.peerHasClosed() { try? client.send(Array("x".utf8)) }
                }
                let request = Array("GET /v1/search?q=%E4%BA%A7%E6%95%99 HTTP/1.1\r\nHost: anli\r\n\r\n".utf8)
                let failures = LockedList()
                let served = LockedList()
                // Meanwhile, an ordinary client is answered, request after request.
                let ordinary = Thread {
                    do {
                        let client = try UnixHTTPClient(socketPath: path, timeout: 10)
                        for _ in 0..<20 {
                            let response = try client.get("/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&limit=3")
                            if response.status == 200 { served.append("ok") } else { failures.append("status \(response.status)") }
                        }
                    } catch {
                        failures.append("ordinary client: \(error)")
                    }
                }
                ordinary.start()
                // Dribble a few bytes of the request to every trickler, a
                // byte each per 100 ms, never finishing the head.
                for offset in 0..<20 {
                    for client in tricklers { try? client.send([request[offset]]) }
                    trickleBodies()
                    Thread.sleep(forTimeInterval: 0.1)
                }
                while !ordinary.isFinished { Thread.sleep(forTimeInterval: 0.05) }
                // The idle limit (2 s without a whole request) closes the
                // head tricklers, the body's limit (complete 2 s after its
                // head) the body tricklers, the stalled-reader limit (2 s
                // unwritable) the exports. An export stalls only once its
                // pages fill the socket, and exports take turns for one
                // worker (BulkLane): some 300 pages, 2-3 s here but ~30 s
                // under ThreadSanitizer. Wait up to 90 s for all three.
                let deadline = Date().addingTimeInterval(90)
                var open = tricklers + stalled + bodyTricklers
                while !open.isEmpty, Date() < deadline {
                    // Never read: reading would let a stalled export go on.
                    open = open.filter { !$0.peerHasClosed() }
                    trickleBodies()
                    if !open.isEmpty { Thread.sleep(forTimeInterval: 0.2) }
                }
                return (served.values.count, failures.values, open.count)
            }
            #expect(outcome.failures.isEmpty, "\(outcome.failures.prefix(3))")
            #expect(outcome.served == 20)
            #expect(outcome.stillOpen == 0, "\(outcome.stillOpen) slow connections still open")
            try await daemon.expectHealthy()
        }
    }
}
