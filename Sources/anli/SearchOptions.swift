import ArgumentParser
import Foundation
import SearchIndex

/// `--index DIR`, shared by the commands that read an index.
struct IndexOption: ParsableArguments {
    @Option(help: "The index directory.")
    var index = "index"

    func openSearcher() throws -> Searcher {
        do {
            return try Searcher(index: URL(fileURLWithPath: index))
        } catch {
            printError("anli: \(error)")
            throw ExitCode(2)
        }
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
