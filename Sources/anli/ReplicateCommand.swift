import ArgumentParser
import Foundation
import SearchIndex

struct ReplicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Keep this host's index a read replica of an indexing host's.",
        discussion: """
            The indexing host serves its index directory with \
            `xapian-replicate-server --interface ADDR --port PORT index`. Each \
            update copies the shards of its current build here with \
            `xapian-replicate` (unchanged shards are not sent again) and, once \
            every shard of one build is here, publishes them as a new revision: \
            an `anli serve` on this directory switches to it as after a local \
            `anli index`, and serves the previous build until then. Runs until \
            stopped, updating every --every seconds; --once updates once. \
            docs/SCALING.md, "Read replicas".
            """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The indexing host's xapian-replicate-server.", valueName: "host:port"))
    var master: String

    @Option(help: "The index directory to keep current (default: $ANLI_INDEX, else index).")
    var index = defaultIndexDirectory

    @Option(help: "Seconds between updates.")
    var every = 30

    @Flag(help: "Update once and exit (status 1 if the update failed).")
    var once = false

    /// One line on stdout, written at once (a follower runs for days with
    /// its output in a log).
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private var endpoint: (host: String, port: Int)? {
        hostAndPort(master).flatMap { $0.port == 0 ? nil : $0 }
    }

    func validate() throws {
        guard endpoint != nil else { throw ValidationError("--from must be HOST:PORT (the indexing host's xapian-replicate-server), not '\(master)'") }
        guard every >= 1 else { throw ValidationError("--every must be at least 1 second, not \(every)") }
    }

    func run() throws {
        guard let endpoint else { return }
        let replica = Replica(host: endpoint.host, port: endpoint.port, indexDirectory: URL(fileURLWithPath: index))
        while true {
            let started = Date()
            do {
                switch try replica.update() {
                case .published(let build, let shards):
                    say("published \(build) (\(shards) shard\(shards == 1 ? "" : "s")) in \(String(format: "%.2f", -started.timeIntervalSinceNow)) s at \(index)")
                case .upToDate(let build):
                    if once { say("up to date: \(build) at \(index)") }
                }
            } catch {
                printError("anli replicate: \(error)")
                if once { throw ExitCode(1) }
                // The master may be down or rebuilding: try again later.
            }
            if once { return }
            sleep(UInt32(every))
        }
    }
}
