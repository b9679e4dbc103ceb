import ArgumentParser
import Foundation
import SearchIndex

/// `--index DIR`, shared by the commands that read an index.
struct IndexOption: ParsableArguments {
    @Option(help: "The index directory.")
    var index = "index"

    func openSearcher() throws -> Searcher {
        do {
            return try Searcher(index: URL(fileURLWithPath: index), ranking: try Self.ranking())
        } catch {
            printError("anli: \(error)")
            throw ExitCode(2)
        }
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

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let output = StandardOutput()
    output.write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
    output.flush()
}
