import AnliTestSupport
import Foundation
import Testing

/// `anli bench-load`, the load generator behind tools/bench and tools/load,
/// against a real `anli serve`: it must count what it sends and report
/// failures rather than hide them.
@Suite struct LoadCommandTests {
    func summary(_ output: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test func sendsEveryRequestFromConcurrentClientsWithoutErrors() throws {
        let directory = try ServeCommandTests.indexed()
        let socket = directory.path + "/anli.sock"
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try serve.waitUntilServing(socket)
        let queries = Repository.root.appendingPathComponent("tools/bench/queries.json").path
        let run = try CommandRunner.run(["bench-load", "--socket", socket, "--queries", queries, "--clients", "3", "--requests", "150", "--warmup", "2"])
        #expect(run.status == 0, "\(run.standardError)")
        let result = try summary(run.standardOutput)
        #expect(result["requests"] as? Int == 150)
        #expect(result["errors"] as? Int == 0)
        #expect(result["clients"] as? Int == 3)
        #expect((result["p50_us"] as? Double ?? 0) > 0)
        #expect((result["took_p50_us"] as? Double ?? 0) > 0, "the daemon's took_us is read from the answers")
        #expect(try serve.stop(SIGTERM) == 0)
    }

    @Test func aFailingQueryIsCountedAndTheExitStatusSaysSo() throws {
        let directory = try ServeCommandTests.indexed()
        let socket = directory.path + "/anli.sock"
        let serve = try ServeProcess(["serve", "--index", directory.path + "/index", "--socket", socket])
        try serve.waitUntilServing(socket)
        let queries = directory.path + "/queries.json"
        // An unbalanced quote is a bad_query (HTTP 400) every time it is sent.
        try #"{"queries": [{"q": "产教融合"}, {"q": "\"产教"}]}"#.write(toFile: queries, atomically: true, encoding: .utf8)
        let run = try CommandRunner.run(["bench-load", "--socket", socket, "--queries", queries, "--clients", "1", "--requests", "10", "--warmup", "0"])
        #expect(run.status == 1)
        let result = try summary(run.standardOutput)
        #expect(result["requests"] as? Int == 10)
        #expect(result["errors"] as? Int == 5)
        let samples = result["error_samples"] as? [String] ?? []
        #expect(samples.first?.contains("HTTP 400") == true, "\(samples)")
        #expect(try serve.stop(SIGTERM) == 0)
    }
}
