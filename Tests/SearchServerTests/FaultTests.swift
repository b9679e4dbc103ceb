import AnliTestSupport
import Foundation
import SearchIndex
import SearchServer
import Testing

/// Faults injected into the processes and files a deployment has: builds
/// killed with SIGKILL, a daemon killed with SIGKILL, an index directory that
/// cannot be written or whose filesystem is full, and garbage where the
/// served index should be. Each test asserts what the user sees afterwards.
@Suite struct FaultTests {
    /// Queries whose answers (ids and scores) must not change while builds
    /// are killed around the daemon.
    static let probes = ["产教融合", "课程", "\"校企合作\"", "AI", "实训基地 school:番禺"].map {
        "/v1/search?q=\(formEncoded($0))&limit=10"
    }

    // MARK: - kill -9 of `anli index`

    @Test func killingBuildsAtRandomPointsNeverDisturbsTheServedIndex() throws {
        let directory = try TemporaryDirectory(prefix: "anli-fault")
        let corpus = directory.url.appendingPathComponent("corpus")
        let index = directory.url.appendingPathComponent("index")
        // Several copies of the report: a build then takes a couple of
        // seconds, so random kills land in parsing, writing, committing
        // and publishing.
        try SyntheticCorpus.write(copies: 4, to: corpus)
        let initial = try IndexBuilder(corpus: corpus, index: index).build()
        let (daemon, socket, baseline) = try Self.serve(index, socketIn: directory)
        #expect(baseline.allSatisfy { !$0.isEmpty }, "every probe finds something")

        // Every build sees different gazetteer bytes (a trailing newline
        // more), so nothing is copied from the previous revision and every
        // build parses and writes the whole corpus, as a first build does.
        let gazetteer = corpus.appendingPathComponent("schools.json")
        let gazetteerBytes = try Data(contentsOf: gazetteer)
        var builds = 0
        func nextBuild() throws -> Process {
            builds += 1
            try (gazetteerBytes + Data(repeating: 0x0A, count: builds)).write(to: gazetteer)
            // One shard and two in turn: kills land in a single writer and
            // in sharded writers, and the served revision switches between
            // the layouts while the answers stay the same.
            return try Self.start(["index", "--corpus", corpus.path, "--index", index.path, "--shards", "\(1 + builds % 2)"], scratch: directory)
        }

        // One build that completes, timed, to spread the kills over it.
        let timing = try nextBuild()
        let started = Date()
        timing.waitUntilExit()
        var buildSeconds = -started.timeIntervalSinceNow
        #expect(timing.terminationStatus == 0)

        var random = SplitMix64(seed: ProcessInfo.processInfo.environment["ANLI_FAULT_SEED"].flatMap { UInt64($0) } ?? .random(in: 0...UInt64.max))
        print("FaultTests: kill seed \(random.seed) (ANLI_FAULT_SEED to repeat), build \(String(format: "%.2f", buildSeconds)) s")
        var killed = 0
        var completed = 1
        var attempts = 0
        var halfWritten = 0
        while killed < 20, attempts < 40 {
            attempts += 1
            let build = try nextBuild()
            // Anywhere in the first 95% of a build's time; a build that
            // happens to be quicker completes, and must then have succeeded.
            let delay = Double(random.next() % 1000) / 1000 * buildSeconds * 0.95
            Thread.sleep(forTimeInterval: delay)
            if build.isRunning { kill(build.processIdentifier, SIGKILL) }
            build.waitUntilExit()
            if build.terminationReason == .uncaughtSignal {
                killed += 1
                let names = try FileManager.default.contentsOfDirectory(atPath: index.path)
                if names.contains(where: { $0.hasPrefix("db-") && $0.hasSuffix(".tmp") }) { halfWritten += 1 }
            } else {
                // It finished before the kill: it must have succeeded, in
                // particular not been refused by a lock a killed build left.
                #expect(build.terminationStatus == 0, "a build that was not killed failed (after \(delay) s)")
                completed += 1
                // Builds got quicker (the machine is less busy than when
                // timed): aim the kills earlier.
                buildSeconds = delay
            }
            // The daemon served the previous revision (or the one a build
            // published before it died) throughout, with the same answers.
            #expect(try Self.answers(socket) == baseline, "after a kill at \(String(format: "%.3f", delay)) s")
            #expect(try Self.currentIsValid(index), "`current` after a kill at \(delay) s")
            // Every few kills, a build that is left alone completes.
            if attempts % 7 == 0 {
                let result = try CommandRunner.run(["index", "--corpus", corpus.path, "--index", index.path])
                #expect(result.status == 0, "\(result.standardError)")
                completed += 1
                try Self.expectNoLeftovers(index)
            }
        }
        #expect(killed >= 20, "only \(killed) builds were killed in \(attempts) attempts")
        #expect(halfWritten > 0, "no kill left a half-written database: the kills missed the builds")

        // Whatever the kills left behind, the next build completes, cleans
        // up, and the daemon moves to it with the same answers.
        let final = try CommandRunner.run(["index", "--corpus", corpus.path, "--index", index.path])
        #expect(final.status == 0, "\(final.standardError)")
        try Self.expectNoLeftovers(index)
        let finalRevision = try Searcher(index: index).info.revision
        #expect(finalRevision != initial.revision)
        #expect(try Self.answers(socket) == baseline)
        #expect(try UnixHTTPClient.get(socket, "/v1/stats").json()["revision"] as? String == finalRevision)
        print("FaultTests: \(killed) builds killed (\(halfWritten) left a half-written database), \(completed) completed, in \(attempts) attempts")
        try daemon.expectCleanStop(SIGTERM)
    }

    // MARK: - kill -9 of `anli serve`

    @Test func aDaemonKilledWithSIGKILLIsReplacedWithoutCleanUp() throws {
        let directory = try ServeCommandTests.indexed()
        let socket = directory.path + "/run/anli.sock"
        let arguments = ["serve", "--index", directory.path + "/index", "--socket", socket]
        let first = try ServeProcess(arguments)
        try first.waitUntilServing(socket)
        let before = try Self.answers(socket)
        #expect(try first.stop(SIGKILL) == 128 + SIGKILL)
        // The fault is real: the dead daemon's socket file is still there.
        #expect(FileManager.default.fileExists(atPath: socket))
        #expect(!UnixSocketFile.isAnswering(socket))

        let second = try ServeProcess(arguments)
        try second.waitUntilServing(socket)
        #expect(try Self.answers(socket) == before)
        try second.expectCleanStop(SIGTERM)
    }

    // MARK: - The index directory cannot be written

    /// chmod 0555 does not stop root, so as root the index lives on a small
    /// tmpfs that is remounted read-only; otherwise the directory is chmodded.
    /// Root without the right to mount (a container without CAP_SYS_ADMIN)
    /// cannot make a directory it cannot write: the test cannot run there.
    @Test(.enabled(if: getuid() != 0 || ScratchFilesystem.canMount, "root without the right to mount a tmpfs"))
    func aReadOnlyIndexDirectoryFailsTheBuildClearlyAndTheOldIndexIsServed() throws {
        let directory = try TemporaryDirectory(prefix: "anli-fault")
        let filesystem = getuid() == 0 ? try ScratchFilesystem(size: "64m") : nil
        let index = (filesystem?.url ?? directory.url).appendingPathComponent("index")
        let initial = try IndexBuilder(corpus: Repository.corpus, index: index).build()
        let (daemon, socket, baseline) = try Self.serve(index, socketIn: directory)

        if let filesystem {
            try filesystem.remount(readOnly: true)
        } else {
            #expect(chmod(index.path, 0o555) == 0)
        }
        defer { chmod(index.path, 0o755) }
        let result = try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", index.path])
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("[index_write_failed]"), "\(result.standardError)")
        #expect(result.standardError.contains(index.path), "names the path: \(result.standardError)")
        #expect(result.standardError.contains(getuid() == 0 ? "Read-only file system" : "ermission denied"), "says why: \(result.standardError)")

        #expect(try Searcher(index: index).info.revision == initial.revision, "the previous index is intact")
        #expect(try Self.answers(socket) == baseline, "and still served")
        try daemon.expectCleanStop(SIGTERM)
    }

    // MARK: - The filesystem fills up

    /// Also with three shards, whose writers fail on their own threads: the
    /// first failure stops the others and nothing of the build is left.
    @Test(.enabled(if: ScratchFilesystem.canMount, "mounting a small tmpfs to fill up needs root with the right to mount"), arguments: [1, 3])
    func aFullFilesystemFailsTheBuildCleanlyAndTheNextBuildRecovers(shards: Int) throws {
        let directory = try TemporaryDirectory(prefix: "anli-fault")
        let filesystem = try ScratchFilesystem(size: "64m")
        let index = filesystem.url.appendingPathComponent("index")
        let initial = try IndexBuilder(corpus: Repository.corpus, index: index).build()
        let (daemon, socket, baseline) = try Self.serve(index, socketIn: directory)

        let filler = filesystem.url.appendingPathComponent("filler")
        let written = try Self.fill(filler)
        #expect(written > 0)
        let result = try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", index.path, "--shards", "\(shards)"])
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("[index_write_failed]"), "\(result.standardError)")
        #expect(result.standardError.contains(index.path), "names the path: \(result.standardError)")
        #expect(result.standardError.contains("No space left on device"), "says why: \(result.standardError)")
        // The failed build removed its half-written database: a full disk
        // is not made worse by every retry.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: index.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(try Searcher(index: index).info.revision == initial.revision, "the previous index is intact")
        #expect(try Self.answers(socket) == baseline, "and still served")

        // Space again: the next build completes and is served.
        try FileManager.default.removeItem(at: filler)
        let retry = try CommandRunner.run(["index", "--corpus", Repository.corpus.path, "--index", index.path, "--shards", "\(shards)"])
        #expect(retry.status == 0, "\(retry.standardError)")
        let revision = try Searcher(index: index).info.revision
        #expect(revision != initial.revision)
        #expect(try Searcher(index: index).info.shards == shards)
        #expect(try Self.answers(socket) == baseline)
        #expect(try UnixHTTPClient.get(socket, "/v1/stats").json()["revision"] as? String == revision)
        try daemon.expectCleanStop(SIGTERM)
    }

    // MARK: - Garbage where the index should be

    enum Garbage: String, CaseIterable, Sendable {
        /// `current` switched to a revision directory of random bytes under
        /// the names of a glass database's files.
        case randomRevision
        /// `current` switched to an empty revision directory.
        case emptyRevision
        /// `current` replaced by a regular file of random bytes.
        case fileForLink
        /// `current` replaced by a directory of random bytes, which a
        /// build cannot replace: it must say so, and recover once removed.
        case directoryForLink

        /// What the daemon answers meanwhile.
        var code: String {
            switch self {
            case .randomRevision, .fileForLink, .directoryForLink: "index_corrupt"
            // Xapian cannot tell an empty directory from a missing database.
            case .emptyRevision: "index_not_found"
            }
        }
    }

    @Test(arguments: Garbage.allCases)
    func garbageInPlaceOfTheIndexIs503UntilAGoodIndexReturns(garbage: Garbage) async throws {
        try await TestDaemon.with(configure: { $0.reloadCheckInterval = .zero }) { daemon in
            try await daemon.expectHealthy()
            var random = SplitMix64(seed: 6)
            let index = daemon.indexURL
            switch garbage {
            case .randomRevision:
                let revision = index.appendingPathComponent("db-garbage")
                try FileManager.default.createDirectory(at: revision, withIntermediateDirectories: false)
                for name in ["iamglass", "postlist.glass", "termlist.glass", "docdata.glass", "record.glass", "position.glass", "spelling.glass", "synonym.glass"] {
                    try random.bytes(8192).write(to: revision.appendingPathComponent(name))
                }
                try Self.switchCurrent(in: index, to: "db-garbage")
            case .emptyRevision:
                try FileManager.default.createDirectory(at: index.appendingPathComponent("db-empty"), withIntermediateDirectories: false)
                try Self.switchCurrent(in: index, to: "db-empty")
            case .fileForLink:
                try FileManager.default.removeItem(at: index.appendingPathComponent(IndexLocation.currentLink))
                try random.bytes(4096).write(to: index.appendingPathComponent(IndexLocation.currentLink))
            case .directoryForLink:
                let link = index.appendingPathComponent(IndexLocation.currentLink)
                try FileManager.default.removeItem(at: link)
                try FileManager.default.createDirectory(at: link, withIntermediateDirectories: false)
                try random.bytes(4096).write(to: link.appendingPathComponent("iamglass"))
            }
            for target in ["/v1/health", "/v1/search?q=AI", "/v1/units/gz-2024/case/1-12", "/v1/stats"] {
                let response = try await daemon.get(target)
                #expect(response.status == 503, "\(garbage) \(target): \(response.status) \(response.text)")
                #expect(response.errorCode == garbage.code, "\(garbage) \(target): \(response.text)")
                #expect(response.text.contains("anli index"), "says what to do: \(response.text)")
            }
            if garbage == .directoryForLink {
                let refused = #expect(throws: SearchError.self) { try daemon.rebuild() }
                #expect(refused?.code == .indexWriteFailed)
                #expect(refused?.message.contains("/current") == true, "\(String(describing: refused))")
                #expect(try await daemon.get("/v1/health").status == 503, "the old garbage is still all there is")
                try FileManager.default.removeItem(at: index.appendingPathComponent(IndexLocation.currentLink))
            }
            // A good index again: served without a restart.
            try daemon.rebuild()
            try await daemon.expectHealthy("\(garbage): served again once rebuilt")
            let search = try await daemon.get("/v1/search?q=AI")
            #expect(search.status == 200)
            #expect(!search.hits.isEmpty)
        }
    }

    /// The files of the revision being served, overwritten in place with
    /// random bytes (a disk going bad, someone writing into `index/`): what
    /// Xapian detects is a 503 `index_corrupt`, the `anli serve` process
    /// never dies, and a rebuild (which cannot reuse the damaged revision)
    /// brings the right answers back.
    @Test func theServedFilesOverwrittenInPlaceAre503sNeverACrash() throws {
        let directory = try TemporaryDirectory(prefix: "anli-fault")
        let index = directory.url.appendingPathComponent("index")
        _ = try IndexBuilder(corpus: Repository.corpus, index: index).build()
        let (daemon, socket, baseline) = try Self.serve(index, socketIn: directory)
        let revision = try IndexLocation.resolve(index).database
        var random = SplitMix64(seed: 11)
        var corrupt = 0
        for round in 0..<5 {
            for name in ["postlist.glass", "docdata.glass", "termlist.glass", "position.glass"] {
                let file = try FileHandle(forUpdating: revision.appendingPathComponent(name))
                let size = try file.seekToEnd()
                for _ in 0..<20 {
                    try file.seek(toOffset: random.next() % max(size, 1))
                    try file.write(contentsOf: random.bytes(64))
                }
                try file.close()
            }
            for probe in Self.probes + ["/v1/search?q=%E5%AD%A6%E6%A0%A1&facets=school,year&limit=50"] {
                let response = try UnixHTTPClient.get(socket, probe)
                #expect(daemon.process.isRunning, "round \(round): the daemon died on \(probe): \(daemon.standardError.suffix(500))")
                // Glass has no block checksums: damage Xapian cannot detect
                // may still give an answer (maybe a wrong one); what it
                // detects must be a 503, never a 500 or a crash.
                #expect([200, 400, 503].contains(response.status), "\(probe): \(response.status) \(response.text.prefix(300))")
                if response.status == 503 {
                    #expect(response.errorCode == "index_corrupt", "\(probe): \(response.text)")
                    corrupt += 1
                }
            }
        }
        #expect(corrupt > 0, "the damage was noticed at least once")
        _ = try IndexBuilder(corpus: Repository.corpus, index: index).build()
        #expect(try Self.answers(socket) == baseline, "served again once rebuilt")
        try daemon.expectCleanStop(SIGTERM)
    }

    /// `/v1/health` says "ok" only when searches would work: with any one
    /// table of the served revision zeroed in place, it is a 503
    /// `index_corrupt`, although the daemon's open handles (which keep the
    /// blocks they read last) could still answer some searches. Before, health
    /// only looked at the open index's metadata and said "ok" throughout.
    /// Putting the bytes back does not make the revision trusted again (its
    /// files were written after it was published, `RevisionSeal`); the next
    /// build does.
    @Test(arguments: ["postlist", "docdata", "termlist", "position"])
    func healthReadsEveryTableASearchReads(table: String) async throws {
        try await TestDaemon.with { daemon in
            try await daemon.expectHealthy()
            let file = try IndexLocation.resolve(daemon.indexURL).database.appendingPathComponent("\(table).glass")
            let original = try Data(contentsOf: file)
            let handle = try FileHandle(forUpdating: file)
            try handle.write(contentsOf: Data(count: original.count))
            try handle.close()
            let damaged = try await daemon.get("/v1/health")
            #expect(damaged.status == 503, "\(table) zeroed: \(damaged.status) \(damaged.text)")
            #expect(damaged.errorCode == "index_corrupt", "\(damaged.text)")
            let restored = try FileHandle(forUpdating: file)
            try restored.write(contentsOf: original)
            try restored.close()
            let stillRefused = try await daemon.get("/v1/health")
            #expect(stillRefused.status == 503 && stillRefused.errorCode == "index_corrupt", "\(table) restored: \(stillRefused.text)")
            try daemon.rebuild()
            try await daemon.expectHealthy("\(table): a new revision")
        }
    }

    // MARK: - Helpers

    /// `anli serve` on `index`, answering on a socket in `directory`, and
    /// the probes' answers before any fault. A test that fails before it
    /// stops the daemon leaves that to `ServeProcess`'s deinit.
    static func serve(_ index: URL, socketIn directory: TemporaryDirectory) throws -> (daemon: ServeProcess, socket: String, baseline: [[String]]) {
        let socket = directory.path + "/anli.sock"
        let daemon = try ServeProcess(["serve", "--index", index.path, "--socket", socket])
        try daemon.waitUntilServing(socket)
        return (daemon, socket, try answers(socket))
    }

    /// The ids and scores each probe query answers.
    static func answers(_ socket: String) throws -> [[String]] {
        try probes.map { target in
            let response = try UnixHTTPClient.get(socket, target)
            guard response.status == 200 else { return ["\(response.status) \(response.text)"] }
            return response.hits.map { "\($0["id"] as? String ?? "?") \($0["score"] as? Double ?? -1)" }
        }
    }

    /// `current` resolves to a database that opens as an anli index.
    static func currentIsValid(_ index: URL) throws -> Bool {
        let searcher = try Searcher(index: index)
        return searcher.info.units > 0
    }

    /// After a completed build: no half-written database or link is left,
    /// and at most the current and the previous revision are kept.
    static func expectNoLeftovers(_ index: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: index.path)
        #expect(names.filter { $0.hasSuffix(".tmp") }.isEmpty, "\(names.sorted())", sourceLocation: sourceLocation)
        #expect(names.filter { $0.hasPrefix("db-") }.count <= 2, "\(names.sorted())", sourceLocation: sourceLocation)
    }

    /// Points `current` at `target` the way a build does (one rename).
    static func switchCurrent(in index: URL, to target: String) throws {
        let temporary = index.appendingPathComponent("current.test.tmp")
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: target)
        guard rename(temporary.path, index.appendingPathComponent(IndexLocation.currentLink).path) == 0 else {
            throw UnixHTTPClient.Failure("rename: \(String(cString: strerror(errno)))")
        }
    }

    /// Starts the built `anli` with its output in files under `scratch`.
    static func start(_ arguments: [String], scratch: TemporaryDirectory) throws -> Process {
        let process = Process()
        process.executableURL = Repository.productsDirectory.appendingPathComponent("anli")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Writes `file` until the filesystem is full; returns the bytes written.
    static func fill(_ file: URL) throws -> Int {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var written = 0
        for chunk in [1 << 20, 1 << 12] {
            let block = Data(repeating: 0x5A, count: chunk)
            while (try? handle.write(contentsOf: block)) != nil { written += chunk }
        }
        return written
    }
}

/// A small tmpfs mounted for one test, unmounted when released: a
/// filesystem that can be remounted read-only (chmod does not stop root) or
/// filled up. Needs root (CAP_SYS_ADMIN).
final class ScratchFilesystem {
    private let mountPoint: TemporaryDirectory
    var url: URL { mountPoint.url }

    /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN),
    /// found by trying once.
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        return (try? ScratchFilesystem(size: "1m")) != nil
    }()

    init(size: String) throws {
        mountPoint = try TemporaryDirectory(prefix: "anli-tmpfs")
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "anli-test", mountPoint.path])
    }

    func remount(readOnly: Bool) throws {
        try Self.run("/bin/mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", mountPoint.path])
    }

    deinit {
        // Lazy: a daemon killed a moment ago may still hold a file open.
        try? Self.run("/bin/umount", ["-l", mountPoint.path])
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw UnixHTTPClient.Failure("\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(message)")
        }
    }
}
