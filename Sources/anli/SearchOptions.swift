import ArgumentParser
import Foundation
import UnixHTTP
import SearchIndex
import SearchServer

/// The index directory when `--index` is not given: $ANLI_INDEX, else
/// `index` (the repository's layout).
let defaultIndexDirectory: String = {
    let fromEnvironment = ProcessInfo.processInfo.environment["ANLI_INDEX"] ?? ""
    return fromEnvironment.isEmpty ? "index" : fromEnvironment
}()

/// `--index DIR` and the daemon's socket, shared by the commands that read
/// an index: they ask the daemon when its socket answers, and otherwise
/// open the index themselves.
struct IndexOption: ParsableArguments {
    @Option(help: "The index directory (default: $ANLI_INDEX, else index).")
    var index = defaultIndexDirectory

    @Option(help: "The daemon's socket (default: $ANLI_SOCKET, else $XDG_RUNTIME_DIR/anli.sock, else INDEX/anli.sock).")
    var socket: String?

    @Flag(help: "Read the index directly even when a daemon answers.")
    var noDaemon = false

    func openSearcher(
        recordCacheBytes: Int = Searcher.defaultRecordCacheBytes, countCacheBytes: Int = Searcher.defaultCountCacheBytes,
        singlePassLimit: Int = Searcher.defaultSinglePassLimit
    ) throws -> Searcher {
        do {
            return try Searcher(
                index: URL(fileURLWithPath: index), ranking: try Self.ranking(), recordCacheBytes: recordCacheBytes,
                countCacheBytes: countCacheBytes, singlePassLimit: singlePassLimit)
        } catch {
            printError("anli: \(error)")
            throw ExitCode(2)
        }
    }

    /// The daemon when its socket answers (and, when the socket was not
    /// named explicitly, it serves this index), else the index itself.
    /// Says which on standard error. A socket named with `--socket` must
    /// answer: reading the index instead would answer from somewhere the
    /// user did not ask for.
    func backend() throws -> Backend {
        if let socket, !noDaemon, !UnixSocketFile.isAnswering(socket) {
            printError("anli: no daemon answers at \(socket); start one with `anli serve --socket \(socket)`, or leave out --socket to read the index")
            throw ExitCode(2)
        }
        if !noDaemon {
            let explicit = socket ?? ProcessInfo.processInfo.environment["ANLI_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
            let path = DaemonSocket.path(explicit: socket, index: index)
            if UnixSocketFile.isAnswering(path), explicit != nil || serves(path, index) {
                printError("anli: via daemon at \(path)")
                return .daemon(socketPath: path)
            }
        }
        printError("anli: reading index \(index)")
        return .index(try openSearcher())
    }

    /// Whether the daemon serves the index directory `index`.
    private func serves(_ socketPath: String, _ index: String) -> Bool {
        guard let response = try? UnixHTTPClient.get(socketPath, "/v1/health"), response.status == 200,
              let served = (try? response.json())?["index"] as? String
        else { return false }
        let wanted = URL(fileURLWithPath: index).standardizedFileURL.resolvingSymlinksInPath().path
        return URL(fileURLWithPath: served).resolvingSymlinksInPath().path == wanted
    }
}

extension IndexOption {
    /// Ranking knobs for tuning runs (tools/eval, tools/bench): the JSON of
    /// `Ranking` in ANLI_RANKING, missing keys keeping their defaults. Not
    /// for production use; the defaults are what the tuning chose.
    static func ranking() throws -> Ranking {
        guard let json = ProcessInfo.processInfo.environment["ANLI_RANKING"], !json.isEmpty else { return .default }
        guard let overrides = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw ValidationError("ANLI_RANKING must be a JSON object")
        }
        var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Ranking.default)) as! [String: Any]
        merged.merge(overrides) { _, new in new }
        return try JSONDecoder().decode(Ranking.self, from: JSONSerialization.data(withJSONObject: merged))
    }
}

/// Runs `body`, turning a `SearchError` into a message and an exit status:
/// 1 for the caller's mistakes, 2 for faults.
func reportingSearchErrors<T>(_ body: () throws(SearchError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("anli: \(error.message)")
        throw ExitCode(error.isCallerMistake ? 1 : 2)
    }
}

/// Where answers come from: the daemon (its JSON as sent) or the index
/// read in process (the same types, encoded the same way).
enum Backend {
    /// The daemon on this socket; each call is one request on a connection
    /// of its own.
    case daemon(socketPath: String)
    case index(Searcher)

    /// Asks for `path` with `parameters` — the daemon over its socket, or
    /// the same routes in process (`SearchAPI(local:)`), so that a command
    /// gets the same bytes either way — and returns the answer decoded and
    /// as JSON. Errors are printed; the exit status is 1 for a unit that
    /// does not exist, 2 for every other error.
    func call<T: Decodable>(_ path: String, _ parameters: [(name: String, value: String)] = []) async throws -> (value: T, json: [UInt8]) {
        let status: Int
        let body: [UInt8]
        switch self {
        case .daemon(let socketPath):
            do {
                let client = try UnixHTTPClient(socketPath: socketPath, timeout: 30)
                defer { client.close() }
                let response = try client.get(path + formQuery(parameters.map { ($0.name, $0.value) }))
                (status, body) = (response.status, response.body)
            } catch {
                printError("anli: the daemon at \(socketPath) did not answer: \(error)")
                throw ExitCode(2)
            }
        case .index(let searcher):
            let answer = await SearchAPI(local: searcher).answer(path: path, parameters: parameters)
            (status, body) = (Int(answer.status.code), answer.body)
        }
        guard status == 200 else {
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            let detail = object?["error"] as? [String: Any]
            printError("anli: \(detail?["message"] as? String ?? "the daemon answered \(status)")")
            throw ExitCode(detail?["code"] as? String == "unit_not_found" ? 1 : 2)
        }
        do {
            return (try JSONDecoder().decode(T.self, from: Data(body)), body)
        } catch {
            printError("anli: the answer cannot be read (\(error)); is the daemon another version of anli?")
            throw ExitCode(2)
        }
    }
}

/// `--json` / `--jsonl`, shared by the commands that print results.
struct OutputOption: ParsableArguments {
    @Flag(help: "Print the answer as JSON, exactly as the daemon sends it.")
    var json = false
    @Flag(help: "Print one JSON object per line (one per hit or value).")
    var jsonl = false

    func validate() throws {
        if json && jsonl { throw ValidationError("--json and --jsonl exclude each other") }
    }
}

/// Colour for matches, on a terminal only (and never with NO_COLOR set).
enum Terminal {
    static var colour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// Snippet text with «…» turned into bold red on a terminal.
    static func highlight(_ text: String, colour: Bool) -> String {
        guard colour else { return text }
        return text.replacingOccurrences(of: "«", with: "\u{1B}[1;31m").replacingOccurrences(of: "»", with: "\u{1B}[0m")
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    printBytes(SearchAPI.encode(value))
}

func printBytes(_ bytes: [UInt8]) {
    let output = StandardOutput()
    output.write(String(decoding: bytes, as: UTF8.self) + "\n")
    output.flush()
}
