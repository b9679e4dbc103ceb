import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Reports
import SearchIndex
import WebPage

/// API version 1: routes, parameters, and the JSON they answer with.
/// Documented in docs/API.md; the JSON is the library's Codable types as is,
/// written by `JSONWriter` on the busy routes (search, units, related,
/// facets, export) and by `JSONEncoder` on the others.
///
/// The same routes answer in the daemon (on its pool of searchers) and in
/// the `anli` commands that read an index themselves (`init(local:)`, on
/// one searcher): a command sends the same request either way and gets the
/// same bytes back.
public struct SearchAPI: Sendable {
    /// Where the routes' work runs.
    enum Runner: Sendable {
        /// The daemon: a worker of the pool per piece of work, under a time
        /// limit, with the daemon's own numbers for /v1/stats.
        case daemon(pool: SearcherPool, timeLimit: TimeAmount, started: Date, counters: ServerCounters)
        /// A command reading the index itself, on the calling task.
        case local(LocalSearcher)
    }

    let runner: Runner

    init(pool: SearcherPool, timeLimit: TimeAmount, started: Date, counters: ServerCounters) {
        runner = .daemon(pool: pool, timeLimit: timeLimit, started: started, counters: counters)
    }

    /// The API over one searcher, for a caller that uses it from one task
    /// at a time (an `anli` command without a daemon).
    public init(local searcher: Searcher) {
        runner = .local(LocalSearcher(searcher))
    }

    /// Answers one request as the daemon would: the status and the body
    /// (an error body for errors). `/v1/export` streams only from the
    /// daemon; here it is an error.
    public func answer(method: HTTPMethod = .GET, path: String, parameters: [(name: String, value: String)] = [], body: [UInt8] = []) async -> (status: HTTPResponseStatus, body: [UInt8]) {
        do {
            switch try await respond(method: method, target: RequestTarget(path: path, parameters: parameters), body: body, on: nil) {
            case .json(let status, let bytes): return (status, bytes)
            case .csv(let bytes): return (.ok, bytes)
            case .page(let file): return (.ok, file.bytes)
            case .export:
                throw APIError(.badRequest, "/v1/export streams: use export(parameters:write:)")
            }
        } catch {
            let error = APIError(any: error)
            return (error.status, Self.errorBody(error))
        }
    }

    /// `/v1/export` in process: checks the request as the daemon does, then
    /// hands `write` the export's bytes page by page (the CSV header first).
    /// Returns nil, or the error the daemon would have answered with.
    public func export(parameters: [(name: String, value: String)], write: ([UInt8]) throws -> Void) async -> (status: HTTPResponseStatus, body: [UInt8])? {
        do {
            guard case .local(let local) = runner else {
                throw APIError(.internalError, "export(parameters:write:) is for the local API", status: .internalServerError)
            }
            let response = try await respond(method: .GET, target: RequestTarget(path: "/v1/export", parameters: parameters), body: [], on: nil)
            guard case .export(var page, let format) = response else { return nil }
            try write(format.header)
            while true {
                let (bytes, count) = try format.page(page, on: local.searcher)
                try write(bytes)
                if count < page.limit || page.offset + page.limit > SearchRequest.maximumOffset { return nil }
                page.offset += page.limit
            }
        } catch {
            let error = APIError(any: error)
            return (error.status, Self.errorBody(error))
        }
    }

    enum Response: Sendable {
        case json(HTTPResponseStatus, [UInt8])
        case csv([UInt8])
        /// A file of the web page (`PageFiles`).
        case page(PageFiles.File)
        /// Streamed page by page with chunked encoding.
        case export(SearchRequest, ExportFormat)
    }

    /// The API's JSON: sorted keys, slashes unescaped (the CLI's `--json` too).
    /// `JSONWriter` writes the same bytes, faster, for the busy routes.
    public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our types always encode; a failure would be a programming error.
        return Array((try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal_error","message":"encoding failed"}}"#.utf8))
    }

    static func errorBody(_ error: APIError) -> [UInt8] { encode(ErrorBody(error)) }

    /// Runs `body` on a searcher: a pool worker's (the daemon; `eventLoop`
    /// is the connection's) or the local one.
    func work(on eventLoop: EventLoop?, forceCheck: Bool = false, _ body: @escaping @Sendable (Searcher) throws -> [UInt8]) async throws -> Response {
        switch runner {
        case .daemon(let pool, let timeLimit, _, _):
            guard let eventLoop else { throw APIError(.internalError, "a daemon request without its event loop", status: .internalServerError) }
            return .json(.ok, try await pool.run(timeLimit: timeLimit, on: eventLoop, forceCheck: forceCheck, body))
        case .local(let local):
            return .json(.ok, try body(local.searcher))
        }
    }
}

/// The one searcher of `SearchAPI(local:)`. @unchecked: a `Searcher` is not
/// thread-safe, and a local API is used by one task at a time (a command).
final class LocalSearcher: @unchecked Sendable {
    let searcher: Searcher
    init(_ searcher: Searcher) { self.searcher = searcher }
}

extension SearchAPI {

    // MARK: - Parameters

    /// A JSON body's search parameters, as the URL would carry them: the
    /// same names, a string, number or boolean for one value, a list for a
    /// repeated one (`{"q": "产教融合", "kind": ["case", "table"], "limit": 20,
    /// "facets": ["school", "year"]}`); `null` is no value.
    static func bodyParameters(_ body: [UInt8]) throws(APIError) -> [(name: String, value: String)] {
        guard !body.isEmpty else { return [] }
        let object: [String: BodyValue]
        do {
            object = try JSONDecoder().decode([String: BodyValue].self, from: Data(body))
        } catch {
            throw APIError(.badRequest, "the body must be a JSON object of search parameters, e.g. {\"q\": \"产教融合\", \"kind\": [\"case\"]}: \(Self.reason(error))")
        }
        var parameters: [(name: String, value: String)] = []
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            for text in try value.texts(name: name) { parameters.append((name, text)) }
        }
        return parameters
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.typeMismatch(_, let context): return context.debugDescription
        default: return "not JSON"
        }
    }

    /// One value of a JSON body.
    enum BodyValue: Decodable {
        case text(String), integer(Int), number(Double), boolean(Bool), list([BodyValue]), null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .boolean(value) }
            else if let value = try? container.decode(Int.self) { self = .integer(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .text(value) }
            else if let value = try? container.decode([BodyValue].self) { self = .list(value) }
            else {
                throw DecodingError.typeMismatch(
                    BodyValue.self, .init(codingPath: decoder.codingPath, debugDescription: "a parameter is a string, number, boolean or list, not an object"))
            }
        }

        /// The value as the URL would write it (a list: each item).
        func texts(name: String) throws(APIError) -> [String] {
            switch self {
            case .text(let text): return [text]
            case .integer(let number): return [String(number)]
            case .boolean(let value): return [String(value)]
            case .null: return []
            case .number(let number):
                guard number.rounded() == number, let whole = Int(exactly: number) else {
                    throw APIError(.badParameter, "\(name) must be a whole number, not \(number)")
                }
                return [String(whole)]
            case .list(let items):
                var texts: [String] = []
                for item in items {
                    if case .list = item { throw APIError(.badParameter, "\(name) is a list of lists; give one list of values") }
                    texts += try item.texts(name: name)
                }
                return texts
            }
        }
    }

    /// The route's search request: `SearchRequest`'s own parameters (a
    /// value that cannot be read is a 400; one out of range, found when the
    /// search runs, a 422) plus the route's `extra` ones, which it reads.
    func searchRequest(_ target: RequestTarget, requireQueryOrFilter: Bool, extra: Set<String> = []) throws(APIError) -> SearchRequest {
        try allowOnly(target, SearchRequest.parameterNames.union(extra))
        let request: SearchRequest
        do {
            request = try SearchRequest(parameters: target.parameters.filter { !extra.contains($0.name) })
        } catch {
            throw APIError(error.code.apiCode, error.message)
        }
        if requireQueryOrFilter, request.isEmpty {
            throw APIError(.missingQuery, "give a query q=… or at least one filter (school, year, kind, chapter, district, report, data_year)")
        }
        return request
    }

    func integer(_ target: RequestTarget, _ name: String) throws(APIError) -> Int? {
        guard let text = try target.value(name) else { return nil }
        guard let value = Int(text) else {
            throw APIError(.badParameter, "\(name) must be a whole number, not '\(text.prefix(40))'")
        }
        return value
    }

    func allowOnly(_ target: RequestTarget, _ allowed: Set<String>) throws(APIError) {
        for (name, _) in target.parameters where !allowed.contains(name) {
            let known = allowed.sorted().joined(separator: ", ")
            throw APIError(.unknownField, "unknown parameter '\(name.prefix(40))'" + (allowed.isEmpty ? "; this route takes none" : "; parameters here are \(known)"))
        }
    }
}

// MARK: - Response bodies

/// `GET /v1/facets/{field}`.
public struct FacetValues: Codable, Sendable {
    public var field: String
    public var query: String
    /// Units matching the query and filters.
    public var total: Int
    public var values: [FacetCount]

    public init(field: String, query: String, total: Int, values: [FacetCount]) {
        self.field = field
        self.query = query
        self.total = total
        self.values = values
    }
}

/// `GET /v1/stats`; also what `anli stats` prints without a daemon (then
/// without the daemon's own numbers).
public struct IndexStats: Codable, Sendable {
    public struct Report: Codable, Sendable {
        public var id: String
        public var title: String
        public var year: Int
        public var units: Int
    }

    public var reports: [Report]
    public var units: Int
    public var unitsPerKind: [String: Int]
    public var revision: String
    /// The build the index's shards come from (`db-…`, the revision's name
    /// on the host that built it): what a replica or remote shards serve.
    public var build: String
    public var builtAt: String
    public var corpusRevision: String
    public var schemaVersion: Int
    /// Databases the index is spread over (see `anli index --shards`).
    public var shards: Int
    /// The daemon's: nil when the index is read directly.
    public var uptimeSeconds: Int?
    public var requestsServed: Int?
    public var reloads: Int?
    public var workers: Int?

    enum CodingKeys: String, CodingKey {
        case reports, units, unitsPerKind = "units_per_kind", revision, build, builtAt = "built_at", corpusRevision = "corpus_revision"
        case schemaVersion = "schema_version", shards, uptimeSeconds = "uptime_s", requestsServed = "requests_served", reloads, workers
    }

    /// The index's numbers, from its metadata and one count by kind.
    public init(_ searcher: Searcher) throws(SearchError) {
        var browse = SearchRequest()
        browse.facets = [.kind]
        browse.limit = 1
        browse.snippetLength = 0
        let kinds = try searcher.search(browse).facets[FacetField.kind.rawValue] ?? []
        let info = searcher.info
        reports = info.reports.map { Report(id: $0.id, title: $0.title, year: $0.year, units: $0.units) }
        units = info.units
        unitsPerKind = Dictionary(uniqueKeysWithValues: kinds.map { ($0.value, $0.count) })
        revision = info.revision
        build = searcher.build
        builtAt = info.builtAt
        corpusRevision = info.corpusRevision
        schemaVersion = info.schemaVersion
        shards = info.shards
    }
}

/// `GET /v1/health`.
struct Health: Codable, Sendable {
    var status: String
    /// The index directory served, absolute.
    var index: String
    var revision: String
    var units: Int
}

/// `POST /v1/reload`.
struct Reload: Codable, Sendable {
    var revision: String
    var previous: String?
    /// The build served now (for remote shards, what their servers serve).
    var build: String
    var reloaded: Bool
}

/// Requests served, for `/v1/stats`.
final class ServerCounters: Sendable {
    private let box = NIOLockedValueBox(0)
    var requests: Int { box.withLockedValue { $0 } }
    func countRequest() { box.withLockedValue { $0 += 1 } }
}
