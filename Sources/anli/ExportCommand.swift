import ArgumentParser
import Foundation
import SearchIndex
import SearchServer
import UnixHTTP

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every unit that matches, in full: JSON Lines or CSV.",
        discussion: """
            What `total` counts, every unit, no pages: for scripts (JSON Lines, \
            the schema of `anli parse --json`) and spreadsheets (CSV, UTF-8 with \
            a byte order mark; columns in docs/API.md). The daemon's \
            /v1/export, or the same in process without one.

            Examples:
              anli export 产教融合 --kind case > cases.jsonl
              anli export 产教融合 --format csv > 产教融合.csv
            """
    )

    @OptionGroup var search: QueryOptions
    @OptionGroup var indexOption: IndexOption
    @OptionGroup var sort: SortOption
    @Option(help: "ndjson (JSON Lines, default) or csv.")
    var format = "ndjson"

    func validate() throws {
        try search.requireQueryOrFilter()
        _ = try SearchRequest(options: search.parameters + sort.parameters)
        guard ExportFormat(rawValue: format) != nil else { throw ValidationError("--format must be ndjson or csv, not '\(format)'") }
    }

    func run() async throws {
        let request = try SearchRequest(options: search.parameters + sort.parameters)
        let parameters = request.parameters + (format == "ndjson" ? [] : [(name: "format", value: format)])
        let output = FileHandle.standardOutput
        let failure: (status: Int, body: [UInt8])?
        switch try indexOption.backend() {
        case .daemon(let socketPath):
            do {
                let client = try UnixHTTPClient(socketPath: socketPath, timeout: 60)
                defer { client.close() }
                // Streamed to standard output as the chunks come: an export
                // of a whole corpus need not fit in memory.
                try client.send(Array("GET /v1/export\(formQuery(parameters.map { ($0.name, $0.value) })) HTTP/1.1\r\nHost: anli\r\n\r\n".utf8))
                let response = try client.readResponse { bytes in output.write(Data(bytes)) }
                failure = response.status == 200 ? nil : (response.status, response.body)
            } catch {
                printError("anli: the daemon at \(socketPath) did not answer: \(error)")
                throw ExitCode(2)
            }
        case .index(let searcher):
            let error = await SearchAPI(local: searcher).export(parameters: parameters) { bytes in
                if !bytes.isEmpty { output.write(Data(bytes)) }
            }
            failure = error.map { (Int($0.status.code), $0.body) }
        }
        if let failure {
            let object = try? JSONSerialization.jsonObject(with: Data(failure.body)) as? [String: Any]
            let detail = object?["error"] as? [String: Any]
            printError("anli: \(detail?["message"] as? String ?? "the daemon answered \(failure.status)")")
            throw ExitCode(2)
        }
    }
}
