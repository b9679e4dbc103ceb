import AnliTestSupport
import Foundation
import Testing

/// How `anli` answers a command line it cannot run: exit status 2 like
/// every other error (not ArgumentParser's 64), the subcommand's usage, a
/// suggestion for a mistyped subcommand; and where the index and the daemon
/// come from.
@Suite struct UsageTests {
    @Test(arguments: [
        (["facets", "foo"], "unknown field 'foo'", "Usage: anli facets"),
        (["search", "产教融合", "--sort", "foo"], "unknown sort 'foo'", "Usage: anli search"),
        (["search", "产教融合", "--facets", "foo"], "unknown facet field 'foo'", "Usage: anli search"),
        // Read by the daemon's codec: its checks and its messages, before
        // anything is asked.
        (["search", "产教融合", "--limit", "500"], "limit must be between 1 and 100, not 500", "Usage: anli search"),
        (["search", "产教融合", "--offset=-1"], "offset must be between 0 and 100000, not -1", "Usage: anli search"),
        (["export", "产教融合", "--sort", "newest"], "unknown sort 'newest'", "Usage: anli export"),
        (["export", "产教融合", "--format", "xlsx"], "--format must be ndjson or csv", "Usage: anli export"),
        (["facets", "school", "--year", "2024", "--school", "a", "--sort", "year"], "Unknown option '--sort'", "Usage: anli facets"),
        (["search", "产教融合", "--limit", "abc"], "'abc' is invalid for '--limit", "Usage: anli search"),
        (["search", "产教融合", "--frobnicate"], "Unknown option '--frobnicate'", "Usage: anli search"),
        (["serach", "产教融合"], "Did you mean `anli search`?", "Usage: anli <subcommand>"),
        (["idnex"], "Did you mean `anli index`?", "Usage: anli <subcommand>"),
        (["search", "产教融合", "--jsonl", "--facets", "kind"], "--jsonl prints one hit per line", "Usage: anli search"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String, usage: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.contains(usage), "\(result.standardError)")
    }

    @Test func helpAndVersionStillExitZero() throws {
        #expect(try CommandRunner.run(["search", "--help"]).status == 0)
        #expect(try CommandRunner.run(["--version"]).status == 0)
        let unrelated = try CommandRunner.run(["frobnicate"])
        #expect(unrelated.status == 2)
        #expect(!unrelated.standardError.contains("Did you mean"), "nothing close: no guess")
    }

    /// A socket named with --socket must answer; reading the index instead
    /// would answer from somewhere the user did not ask for.
    @Test func aNamedSocketThatDoesNotAnswerIsAnError() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index").path
        #expect(try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", index]).status == 0)
        let socket = directory.url.appendingPathComponent("none.sock").path
        let result = try CommandRunner.run(["search", "产教融合", "--index", index, "--socket", socket])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no daemon answers at \(socket)"), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func theIndexCanComeFromTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index").path
        let build = try CommandRunner.run(["index", "--corpus", Repository.corpus.path], environment: ["ANLI_INDEX": index])
        #expect(build.status == 0, "\(build.standardError)")
        #expect(FileManager.default.fileExists(atPath: index + "/current"))
        let search = try CommandRunner.run(["search", "产教融合", "--no-daemon", "--limit", "1"], environment: ["ANLI_INDEX": index])
        #expect(search.status == 0, "\(search.standardError)")
        #expect(search.standardOutput.hasPrefix("31 results"), "\(search.standardOutput)")
        #expect(search.standardError.contains("reading index \(index)"))
    }

    /// JSON Lines are the hits; the total goes to standard error beside them.
    @Test func jsonLinesSayHowManyResultsThereAre() throws {
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index").path
        #expect(try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", index]).status == 0)
        let result = try CommandRunner.run(["search", "产教融合", "--index", index, "--no-daemon", "--jsonl", "--limit", "3"])
        #expect(result.status == 0)
        #expect(result.standardOutput.split(separator: "\n").count == 3)
        #expect(result.standardError.contains("31 results (exact), 3 lines from offset 0"), "\(result.standardError)")
    }
}
