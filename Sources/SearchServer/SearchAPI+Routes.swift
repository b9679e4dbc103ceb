import Foundation
import NIOCore
import NIOHTTP1
import Reports
import SearchIndex
import WebPage

/// The routes of API v1 as a table: each route says which paths and
/// methods it takes and whether a POST body carries its parameters, and
/// its handler is a few lines that read the request, ask the searcher and
/// encode the answer. `respond` finds the route and checks the method and
/// the body before any handler runs.
extension SearchAPI {
    /// One request as a handler sees it.
    struct Call: Sendable {
        var method: HTTPMethod
        /// The request's parameters: the URL's, and a POST body's.
        var target: RequestTarget
        /// The path's segments after `/v1/<route>`.
        var rest: [String]
        /// The connection's, in the daemon; nil in process.
        var eventLoop: EventLoop?
    }

    struct Route: Sendable {
        var name: String
        /// The path segments after the name that this route answers.
        var accepts: @Sendable ([String]) -> Bool
        var methods: [HTTPMethod]
        /// A POST body holds the parameters as JSON (see `bodyParameters`).
        var takesBody = false
        var handle: @Sendable (SearchAPI, Call) async throws -> Response
    }

    /// `/v1/units/{report}/{kind}/{number}/related`: a unit id has three
    /// segments, so a fourth named `related` is the related route.
    private static func isRelated(_ rest: [String]) -> Bool { rest.count > 3 && rest.last == "related" }

    static let routes: [Route] = [
        Route(name: "search", accepts: { $0.isEmpty }, methods: [.GET, .POST], takesBody: true) { try await $0.search($1) },
        Route(name: "export", accepts: { $0.isEmpty }, methods: [.GET, .POST], takesBody: true) { try await $0.export($1) },
        Route(name: "units", accepts: { !$0.isEmpty && !isRelated($0) }, methods: [.GET]) { try await $0.unit($1) },
        Route(name: "units", accepts: isRelated, methods: [.GET]) { try await $0.related($1) },
        Route(name: "facets", accepts: { $0.count == 1 }, methods: [.GET, .POST], takesBody: true) { try await $0.facets($1) },
        Route(name: "stats", accepts: { $0.isEmpty }, methods: [.GET]) { try await $0.stats($1) },
        Route(name: "health", accepts: { $0.isEmpty }, methods: [.GET]) { try await $0.health($1) },
        Route(name: "reload", accepts: { $0.isEmpty }, methods: [.POST]) { try await $0.reload($1) },
    ]

    func respond(method: HTTPMethod, uri: String, body: [UInt8] = [], on eventLoop: EventLoop) async throws -> Response {
        try await respond(method: method, target: RequestTarget(uri), body: body, on: eventLoop)
    }

    func respond(method: HTTPMethod, target: RequestTarget, body: [UInt8], on eventLoop: EventLoop?) async throws -> Response {
        var target = target
        // The web page: a client of the routes below like any other.
        if !target.path.hasPrefix("/v1/"), let file = PageFiles.file(at: target.path) {
            guard method == .GET || method == .HEAD else {
                var error = APIError(.methodNotAllowed, "\(method.rawValue) is not allowed on \(target.path); use GET", status: .methodNotAllowed)
                error.allow = "GET, HEAD"
                throw error
            }
            return .page(file)
        }
        let parts = target.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0].isEmpty, parts[1] == "v1" else {
            throw APIError(.notFound, "no route \(target.path); the page is at /, the API under /v1/ (see docs/API.md)", status: .notFound)
        }
        let rest = Array(parts.dropFirst(3))
        guard let route = Self.routes.first(where: { $0.name == parts[2] && $0.accepts(rest) }) else {
            throw APIError(.notFound, "no route \(target.path) (see docs/API.md)", status: .notFound)
        }
        guard route.methods.contains(method) || (route.methods.contains(.GET) && method == .HEAD) else {
            var error = APIError(
                .methodNotAllowed, "\(method.rawValue) is not allowed on \(target.path); use \(route.methods.map(\.rawValue).joined(separator: " or "))",
                status: .methodNotAllowed)
            error.allow = route.methods.flatMap { $0 == .GET ? ["GET", "HEAD"] : [$0.rawValue] }.joined(separator: ", ")
            throw error
        }
        if method == .POST, route.takesBody {
            target.parameters += try Self.bodyParameters(body)
        } else if !body.isEmpty {
            throw APIError(.badRequest, "\(method.rawValue) \(target.path) takes no body; the search routes take one with POST")
        }
        return try await route.handle(self, Call(method: method, target: target, rest: rest, eventLoop: eventLoop))
    }

    // MARK: - Handlers

    func search(_ call: Call) async throws -> Response {
        let request = try searchRequest(call.target, requireQueryOrFilter: true, extra: ["format"])
        switch try call.target.value("format") ?? "json" {
        case "json":
            return try await work(on: call.eventLoop) { searcher in try searcher.search(request).jsonBytes() }
        case "csv":
            guard request.facets.isEmpty else {
                throw APIError(.badParameter, "facets have no place in CSV, which is one row per hit: use format=json for facets")
            }
            guard case .json(_, let bytes) = try await work(on: call.eventLoop, { searcher in
                let results = try searcher.search(request)
                var csv = CSVWriter()
                csv.row(CSVColumns.hit)
                for (index, hit) in results.hits.enumerated() { csv.row(CSVColumns.hit(hit, rank: results.offset + index + 1)) }
                return CSVWriter.byteOrderMark + csv.bytes
            }) else { return .json(.ok, []) }
            return .csv(bytes)
        case let other:
            throw APIError(.badParameter, "format must be json or csv, not '\(other.prefix(20))'")
        }
    }

    /// Checks the request and hands it to the server, which streams it
    /// (`SearchServer.export`).
    func export(_ call: Call) async throws -> Response {
        let target = call.target
        let name = try target.value("format") ?? "ndjson"
        guard let format = ExportFormat(rawValue: name) else {
            throw APIError(.badParameter, "format must be ndjson (JSON Lines) or csv, not '\(name.prefix(20))'")
        }
        // Pages, facets, snippets and explanations would be computed for
        // every page and thrown away: refuse them rather than ignore them.
        if let name = ["offset", "limit", "facets", "snippet", "explain", "partial"].first(where: { !target.values($0).isEmpty }) {
            throw APIError(.badParameter, "\(name) does not apply to an export, which streams every matching unit in full; export takes q, the filters, sort and format (use /v1/search for \(name))")
        }
        var request = try searchRequest(target, requireQueryOrFilter: true, extra: ["format"])
        request.limit = SearchRequest.maximumLimit
        request.snippetLength = 0
        request.partialHits = false  // an export streams what `total` counts
        // Validate (and surface a bad query as a 4xx) before any byte is sent.
        var probe = request
        probe.limit = 1
        let checked = probe
        _ = try await work(on: call.eventLoop) { searcher in _ = try searcher.search(checked); return [] }
        return .export(request, format)
    }

    /// A unit; with `q`, also where the query's words are written in it
    /// (`marks`), for a reader that shows the whole unit.
    func unit(_ call: Call) async throws -> Response {
        try allowOnly(call.target, ["q"])
        let id = call.rest.joined(separator: "/")
        let query = try call.target.value("q")
        return try await work(on: call.eventLoop) { searcher in
            let unit = try searcher.unit(id)
            var json = JSONWriter(reservingCapacity: 16 * 1024)
            unit.write(to: &json, marks: try query.map { query throws(SearchError) in try searcher.marks(in: unit, query: query) })
            return json.bytes
        }
    }

    func related(_ call: Call) async throws -> Response {
        let target = call.target
        try allowOnly(target, ["limit", "kind"])
        let id = call.rest.dropLast().joined(separator: "/")
        let limit = try integer(target, "limit") ?? 10
        let kinds = try target.values("kind").flatMap { $0.split(separator: ",").map(String.init) }.map { name throws(APIError) -> UnitKind in
            guard let kind = UnitKind(rawValue: name) else {
                throw APIError(.badParameter, "unknown kind '\(name)'; kinds are \(UnitKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
        return try await work(on: call.eventLoop) { searcher in
            try searcher.related(to: id, limit: limit, kinds: kinds.isEmpty ? [.case] : kinds).jsonBytes()
        }
    }

    func facets(_ call: Call) async throws -> Response {
        guard let field = FacetField(rawValue: call.rest[0]) else {
            throw APIError(.unknownField, "unknown facet field '\(call.rest[0])'; fields are \(FacetField.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var request = try searchRequest(call.target, requireQueryOrFilter: false)
        request.facets = [field]
        request.limit = 1
        request.offset = 0
        request.snippetLength = 0
        let counting = request
        return try await work(on: call.eventLoop) { searcher in
            let results = try searcher.search(counting)
            return FacetValues(field: field.rawValue, query: counting.query, total: results.total, values: results.facets[field.rawValue] ?? []).jsonBytes()
        }
    }

    func stats(_ call: Call) async throws -> Response {
        try allowOnly(call.target, [])
        // The daemon's own numbers; none when the index is read in process.
        var daemon: (uptime: Int, served: Int, reloads: Int, workers: Int)?
        if case .daemon(let pool, _, let started, let counters) = runner {
            daemon = (Int(Date().timeIntervalSince(started)), counters.requests, pool.reloads, pool.threadPoolSize)
        }
        let numbers = daemon
        return try await work(on: call.eventLoop) { searcher in
            var stats = try IndexStats(searcher)
            stats.uptimeSeconds = numbers?.uptime
            stats.requestsServed = numbers?.served
            stats.reloads = numbers?.reloads
            stats.workers = numbers?.workers
            return Self.encode(stats)
        }
    }

    func health(_ call: Call) async throws -> Response {
        try allowOnly(call.target, [])
        return try await work(on: call.eventLoop) { searcher in
            // "ok" means searches work, not only that the index opens.
            try searcher.checkReadable()
            return Self.encode(Health(status: "ok", index: searcher.location.directory.standardizedFileURL.path, revision: searcher.info.revision, units: searcher.info.units))
        }
    }

    func reload(_ call: Call) async throws -> Response {
        try allowOnly(call.target, [])
        guard case .daemon(let pool, _, _, _) = runner else {
            throw APIError(.notFound, "reload is the daemon's: it has no index to reload here", status: .notFound)
        }
        let before = (revision: pool.currentRevision, build: pool.currentBuild)
        return try await work(on: call.eventLoop, forceCheck: true) { searcher in
            Self.encode(Reload(
                revision: searcher.info.revision, previous: before.revision, build: searcher.build,
                reloaded: before.revision != searcher.info.revision || before.build != searcher.build))
        }
    }
}
