import AnliTestSupport
import Foundation
import NIOCore
import SearchServer
import Testing

/// Every bad input of the daemon issue: each gets a clear error, and the
/// daemon keeps serving after it.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var target: String
        var method = "GET"
        var status: Int
        var code: String
        /// Why the case is here.
        var why: String
        var testDescription: String { "\(method) \(target.prefix(60)) → \(status)" }
    }

    static let cases: [Case] = [
        Case(target: "/v1/nothing", status: 404, code: "not_found", why: "unknown route"),
        Case(target: "/search?q=AI", status: 404, code: "not_found", why: "no page but / and /page/"),
        Case(target: "/v2/search?q=AI", status: 404, code: "not_found", why: "unknown API version"),
        Case(target: "/v1/search?q=AI", method: "DELETE", status: 405, code: "method_not_allowed", why: "wrong method"),
        Case(target: "/v1/search", status: 400, code: "missing_query", why: "missing q with no filters"),
        Case(target: "/v1/search?q=+++", status: 400, code: "missing_query", why: "a blank q is a missing q"),
        Case(target: "/v1/search?q=AI&limit=abc", status: 400, code: "bad_parameter", why: "limit is not a number"),
        Case(target: "/v1/search?q=AI&limit=-1", status: 422, code: "bad_parameter", why: "limit out of range"),
        Case(target: "/v1/search?q=AI&limit=100000", status: 422, code: "bad_parameter", why: "limit above the maximum"),
        Case(target: "/v1/search?q=AI&limit=5&limit=6", status: 400, code: "bad_parameter", why: "a single-valued parameter repeated"),
        Case(target: "/v1/search?q=AI&offset=999999", status: 422, code: "bad_parameter", why: "offset above the maximum"),
        Case(target: "/v1/search?q=%E4%BA%A7%", status: 400, code: "bad_encoding", why: "a % without two hex digits"),
        Case(target: "/v1/search?q=%zz", status: 400, code: "bad_encoding", why: "a % with non-hex digits"),
        Case(target: "/v1/search?q=%FF%FE", status: 400, code: "bad_encoding", why: "invalid UTF-8 after decoding"),
        Case(target: "/v1/search?q=%E4%BA", status: 400, code: "bad_encoding", why: "a truncated UTF-8 sequence"),
        Case(target: "/v1/search?q=%22%E4%BA%A7%E6%95%99", status: 400, code: "bad_query", why: "unbalanced quote"),
        Case(target: "/v1/search?q=AI&facets=colour", status: 400, code: "unknown_field", why: "unknown facet field"),
        Case(target: "/v1/search?q=AI&colour=red", status: 400, code: "unknown_field", why: "unknown filter parameter"),
        Case(target: "/v1/search?q=colour:red", status: 400, code: "unknown_field", why: "unknown field inside the query"),
        Case(target: "/v1/search?q=AI&sort=random", status: 400, code: "bad_parameter", why: "unknown sort"),
        Case(target: "/v1/search?q=\(String(repeating: "a", count: 1200))", status: 400, code: "bad_query", why: "a query over the library's 1000 characters"),
        Case(target: "/v1/facets/colour", status: 400, code: "unknown_field", why: "unknown facet route"),
        Case(target: "/v1/units/gz-2024/case/99-1", status: 404, code: "unit_not_found", why: "unknown unit id"),
        Case(target: "/v1/units/nothing", status: 404, code: "unit_not_found", why: "an id without slashes"),
        Case(target: "/v1/units/gz-2024/case/1-12/related?limit=0", status: 422, code: "bad_parameter", why: "related limit out of range"),
        Case(target: "/v1/units/gz-2024/case/1-12/related?kind=poem", status: 400, code: "bad_parameter", why: "unknown kind"),
        Case(target: "/v1/export?q=AI&format=xml", status: 400, code: "bad_parameter", why: "unknown export format"),
        Case(target: "/v1/search?q=AI&format=xml", status: 400, code: "bad_parameter", why: "unknown search format"),
        Case(target: "/v1/search?q=AI&format=csv&facets=year", status: 400, code: "bad_parameter", why: "facets have no place in CSV"),
        Case(target: "/v1/export", status: 400, code: "missing_query", why: "export of nothing in particular"),
        Case(target: "/v1/export?q=AI&facets=year", status: 400, code: "bad_parameter", why: "facets of an export would be counted on every page and dropped"),
        Case(target: "/v1/export?q=AI&snippet=80", status: 400, code: "bad_parameter", why: "export lines are full units, not snippets"),
        Case(target: "/v1/export?q=AI&offset=10&limit=5", status: 400, code: "bad_parameter", why: "an export has no pages"),
        Case(target: "/v1/stats?verbose=1", status: 400, code: "unknown_field", why: "a parameter on a route that takes none"),
    ]

    @Test func everyBadRequestGetsAClearErrorAndTheDaemonKeepsServing() async throws {
        try await TestDaemon.with { daemon in
            for item in Self.cases {
                let response = try await daemon.request(item.method, item.target)
                #expect(response.status == item.status, "\(item.why): \(response.text)")
                #expect(response.errorCode == item.code, "\(item.why): \(response.text)")
                let message = (try? response.json()["error"] as? [String: Any])?["message"] as? String
                #expect(message?.isEmpty == false, "\(item.why)")
                try await daemon.expectHealthy("after: \(item.why)")
            }
        }
    }

    @Test func methodNotAllowedSaysWhatIsAllowed() async throws {
        try await TestDaemon.with { daemon in
            let search = try await daemon.request("DELETE", "/v1/search?q=AI")
            #expect(search.status == 405)
            #expect(search.header("Allow") == "GET, HEAD, POST")
            let stats = try await daemon.request("POST", "/v1/stats")
            #expect(stats.status == 405)
            #expect(stats.header("Allow") == "GET, HEAD")
            let reload = try await daemon.request("GET", "/v1/reload")
            #expect(reload.header("Allow") == "POST")
        }
    }

    @Test func offsetBeyondTheEndIsAnEmptyPage() async throws {
        try await TestDaemon.with { daemon in
            let response = try await daemon.get("/v1/search?q=AI&offset=5000")
            #expect(response.status == 200)
            #expect(response.hits.isEmpty)
            #expect((response.total ?? 0) > 0)
        }
    }

    @Test func aOneMegabyteQueryStringIs431AndTheConnectionCloses() async throws {
        try await TestDaemon.with { daemon in
            let path = daemon.socketPath
            let response = try await blocking { () -> HTTPResponse in
                let client = try UnixHTTPClient(socketPath: path)
                // The server may close while we are still writing.
                try? client.send("GET /v1/search?q=\(String(repeating: "a", count: 1 << 20)) HTTP/1.1\r\nHost: anli\r\n\r\n")
                return try client.readResponse()
            }
            #expect(response.status == 431)
            #expect(response.errorCode == "headers_too_large")
            #expect(response.header("Connection") == "close")
            try await daemon.expectHealthy()
        }
    }

    @Test func aHeaderBlockOverTheLimitIs431() async throws {
        try await TestDaemon.with { daemon in
            let path = daemon.socketPath
            let response = try await blocking { () -> HTTPResponse in
                let client = try UnixHTTPClient(socketPath: path)
                let headers = (0..<40).map { ("X-Padding-\($0)", String(repeating: "x", count: 500)) }
                return try client.request("GET", "/v1/health", headers: headers)
            }
            #expect(response.status == 431)
            try await daemon.expectHealthy()
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        try await TestDaemon.with { daemon in
            let path = daemon.socketPath
            let response = try await blocking {
                try UnixHTTPClient(socketPath: path).request("POST", "/v1/reload", body: Array(repeating: 0x61, count: 100_000))
            }
            #expect(response.status == 413)
            #expect(response.errorCode == "body_too_large")
            try await daemon.expectHealthy()
        }
    }

    @Test func rawNonASCIIInTheRequestLineIs400() async throws {
        try await TestDaemon.with { daemon in
            let path = daemon.socketPath
            let response = try await blocking {
                try UnixHTTPClient(socketPath: path).request("GET", "/v1/search?q=产教融合")
            }
            #expect(response.status == 400)
            #expect(response.text.contains("percent-encode"))
            try await daemon.expectHealthy()
        }
    }

    @Test func silentAndHalfRequestClientsBlockNobodyAndAreDropped() async throws {
        try await TestDaemon.with(configure: { $0.idleTimeout = .milliseconds(500) }) { daemon in
            let path = daemon.socketPath
            let (silent, half) = try await blocking { () -> (UnixHTTPClient, UnixHTTPClient) in
                let silent = try UnixHTTPClient(socketPath: path)
                let half = try UnixHTTPClient(socketPath: path)
                try half.send("GET /v1/search?q=AI HTTP/1.1\r\nHost: an")
                return (silent, half)
            }
            // Others are served meanwhile (on 2 workers and 2 event loops).
            for _ in 0..<10 { try await daemon.expectHealthy("while two clients stall") }
            try await Task.sleep(for: .milliseconds(1500))
            #expect(try await blocking { silent.isClosedByServer() }, "a client that sends nothing is dropped")
            #expect(try await blocking { half.isClosedByServer() }, "a client that sends half a request is dropped")
            try await daemon.expectHealthy()
        }
    }

    @Test func aClientThatDisconnectsMidResponseHurtsNobody() async throws {
        try await TestDaemon.with { daemon in
            let path = daemon.socketPath
            try await blocking {
                for _ in 0..<5 {
                    let client = try UnixHTTPClient(socketPath: path)
                    try client.send("GET /v1/export?kind=case&kind=row&kind=figure&kind=section HTTP/1.1\r\nHost: anli\r\n\r\n")
                    client.close()
                }
            }
            try await daemon.expectHealthy()
            let export = try await daemon.get("/v1/export?kind=case")
            #expect(export.status == 200)
            #expect(export.text.split(separator: "\n").count == 66)
        }
    }
}
