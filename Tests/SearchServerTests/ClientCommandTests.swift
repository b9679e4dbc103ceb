import AnliTestSupport
import Foundation
import NIOCore
import Testing

/// `anli search/show/related/facets/stats` through a live daemon and
/// without one: the same answers, the documented outputs and exit codes.
@Suite struct ClientCommandTests {
    /// Runs the binary off the cooperative threads: the daemon under test
    /// answers on them.
    func run(_ arguments: [String]) async throws -> CommandResult {
        try await blocking { try CommandRunner.run(arguments) }
    }

    @Test func searchViaTheDaemonMatchesReadingTheIndex() async throws {
        try await TestDaemon.with { daemon in
            let common = ["search", "产教融合", "--facets", "school,year,kind", "--limit", "5", "--index", daemon.indexURL.path]
            let viaDaemon = try await run(common + ["--socket", daemon.socketPath, "--json"])
            #expect(viaDaemon.status == 0, "\(viaDaemon.standardError)")
            #expect(viaDaemon.standardError.contains("via daemon at \(daemon.socketPath)"))
            let direct = try await run(common + ["--json", "--no-daemon"])
            #expect(direct.standardError.contains("reading index"))
            let withoutTime = { (text: String) in text.replacingOccurrences(of: #""took_us":\d+"#, with: "", options: .regularExpression) }
            #expect(withoutTime(viaDaemon.standardOutput) == withoutTime(direct.standardOutput), "--json is the daemon's JSON as is")
            // The daemon's own answer, byte for byte (but the time).
            let raw = try await daemon.get("/v1/search?q=\(formEncoded("产教融合"))&facets=school,year,kind&limit=5&offset=0")
            #expect(withoutTime(raw.text + "\n") == withoutTime(viaDaemon.standardOutput))

            let human = try await run(common + ["--socket", daemon.socketPath])
            #expect(human.status == 0)
            #expect(human.standardOutput.hasPrefix("31 results"), "every unit that says 产教融合, and only those")
            #expect(human.standardOutput.contains(". [案例 5-3] “一战三融”筑特色，产教融合促发展\n"))
            #expect(human.standardOutput.contains("«产教融合»"), "no colour codes when not on a terminal")
            #expect(!human.standardOutput.contains("\u{1B}["))
            #expect(human.standardOutput.contains("广州市信息技术职业学校 (gz-xinxi-jishu)"))

            // (--jsonl has no place for facet counts: it refuses --facets.)
            let lines = try await run(["search", "产教融合", "--limit", "5", "--index", daemon.indexURL.path, "--socket", daemon.socketPath, "--jsonl"])
            let hits = lines.standardOutput.split(separator: "\n")
            #expect(hits.count == 5)
            #expect(hits.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] != nil })
        }
    }

    /// Every reading command asks the same routes with or without a daemon
    /// (`SearchAPI(local:)` in process): the same request gets the same
    /// bytes, but the time a search took and the daemon's own numbers in
    /// `stats`; errors too.
    @Test func everyCommandAnswersTheSameWithOrWithoutADaemon() async throws {
        try await TestDaemon.with { daemon in
            let commands: [[String]] = [
                ["search", "产教融合", "--facets", "school,year,kind,chapter,district,report", "--limit", "20", "--json"],
                ["search", "", "--kind", "table", "--sort", "year-asc", "--json"],
                ["search", "数字化教学 量子计算机", "--limit", "30", "--explain", "--json"],
                ["search", "AI OR VR", "--exact-only", "--offset", "3", "--json"],
                ["search", "产教融合", "--jsonl"],
                ["search", "产教融合", "--chapter", "产教融合", "--school", "广城"],
                ["show", "gz-2024/table/6-2", "--json"],
                ["show", "gz-2024/case/5-3"],
                ["related", "gz-2024/case/5-3", "--json"],
                ["related", "gz-2024/figure/5-1", "--kind", "case", "--kind", "figure", "--limit", "3"],
                ["facets", "school", "产教融合", "--json"],
                ["facets", "year", "--kind", "case"],
                ["stats", "--json"],
                ["export", "产教融合", "--kind", "case"],
                ["export", "产教融合", "--format", "csv", "--sort", "year"],
                ["export", "", "--school", "广城"],
                ["search", "\"产教融合"],
                ["search", "school:不存在的学校"],
                ["show", "gz-2024/case/99-1"],
            ]
            let timeless = { (text: String) in
                text.replacingOccurrences(of: #""took_us":\d+"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"\(\d+\.\d+ ms\)"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #","(reloads|requests_served|uptime_s|workers)":\d+"#, with: "", options: .regularExpression)
            }
            for command in commands {
                let common = command + ["--index", daemon.indexURL.path]
                let viaDaemon = try await run(common + ["--socket", daemon.socketPath])
                let direct = try await run(common + ["--no-daemon"])
                #expect(viaDaemon.standardError.contains("via daemon"), "\(command)")
                #expect(direct.status == viaDaemon.status, "\(command): \(direct.standardError) / \(viaDaemon.standardError)")
                #expect(timeless(direct.standardOutput) == timeless(viaDaemon.standardOutput), "\(command)")
                // Standard error but the line that says where the answer came from.
                let messages = { (text: String) in
                    text.split(separator: "\n").filter { !$0.hasPrefix("anli: via daemon") && !$0.hasPrefix("anli: reading index") }
                }
                #expect(messages(direct.standardError) == messages(viaDaemon.standardError), "\(command)")
            }
        }
    }

    /// The same command, the same answer, with or without a daemon: a search
    /// for nothing in particular is refused both ways (it gave every unit
    /// without a daemon and an error with one).
    @Test func aSearchForNothingIsRefusedWithOrWithoutADaemon() async throws {
        try await TestDaemon.with { daemon in
            let common = ["search", "--index", daemon.indexURL.path]
            let viaDaemon = try await run(common + ["--socket", daemon.socketPath])
            let direct = try await run(common + ["--no-daemon"])
            for result in [viaDaemon, direct] {
                #expect(result.status == 2)
                #expect(result.standardError.contains("give a query or at least one filter"), "\(result.standardError)")
                #expect(result.standardOutput.isEmpty)
            }
            #expect(viaDaemon.standardError == direct.standardError)
            let browse = try await run(common + ["--kind", "case", "--socket", daemon.socketPath, "--limit", "1"])
            #expect(browse.status == 0)
            #expect(browse.standardOutput.hasPrefix("66 results"), "\(browse.standardOutput)")
        }
    }

    @Test func exitCodesZeroOneTwo() async throws {
        try await TestDaemon.with { daemon in
            for useDaemon in [true, false] {
                let how = useDaemon ? ["--socket", daemon.socketPath] : ["--no-daemon"]
                let base = ["--index", daemon.indexURL.path] + how
                #expect(try await run(["search", "AI"] + base).status == 0, "hits")
                #expect(try await run(["search", "量子纠缠"] + base).status == 1, "no hits")
                let bad = try await run(["search", "\"产教融合"] + base)
                #expect(bad.status == 2, "a bad query")
                #expect(bad.standardError.contains("unbalanced quote"))
                #expect(try await run(["show", "gz-2024/case/1-12"] + base).status == 0)
                #expect(try await run(["show", "gz-2024/case/99-1"] + base).status == 1, "no such unit")
                #expect(try await run(["related", "gz-2024/case/1-12", "--limit", "2"] + base).status == 0)
                let facets = try await run(["facets", "school", "--kind", "case"] + base)
                #expect(facets.status == 0)
                #expect(facets.standardOutput.contains("values of school over 66 units"))
                let stats = try await run(["stats"] + base)
                #expect(stats.status == 0)
                #expect(stats.standardOutput.contains("274 units"))
                #expect(stats.standardOutput.contains("daemon: up") == useDaemon)
            }
        }
    }

    @Test func aDaemonForAnotherIndexIsNotUsedUnlessNamed() async throws {
        try await TestDaemon.with { daemon in
            // Another copy of the index: the daemon at ANLI_SOCKET is named,
            // so it is used; the default socket of the other index is not there.
            let other = try TemporaryDirectory()
            let built = try await run(["index", "--corpus", daemon.corpusURL.path, "--index", other.path + "/index"])
            #expect(built.status == 0)
            let result = try await run(["search", "AI", "--index", other.path + "/index"])
            #expect(result.standardError.contains("reading index"))
        }
    }
}
