import NIOHTTP1
import SearchIndex

/// An error as the API reports it: an HTTP status and
/// `{"error":{"code":"bad_query","message":"…"}}`.
///
/// The caller's mistakes are 4xx; real faults are 5xx and are logged. Codes
/// are stable (documented in docs/API.md) and a struct, so new ones do not
/// break clients.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Request errors found by the server itself.
        public static let notFound = Code(rawValue: "not_found")
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        public static let badEncoding = Code(rawValue: "bad_encoding")
        public static let badParameter = SearchError.Code.badParameter.apiCode
        public static let unknownField = SearchError.Code.unknownField.apiCode
        public static let missingQuery = Code(rawValue: "missing_query")
        public static let badRequest = Code(rawValue: "bad_request")
        public static let bodyTooLarge = Code(rawValue: "body_too_large")
        public static let headersTooLarge = Code(rawValue: "headers_too_large")
        public static let timeout = Code(rawValue: "timeout")
        public static let shuttingDown = Code(rawValue: "shutting_down")
        public static let internalError = Code(rawValue: "internal_error")
    }

    public var status: HTTPResponseStatus
    public var code: Code
    public var message: String
    /// For 405: the methods the route allows (the `Allow` header).
    public var allow: String?

    public init(_ code: Code, _ message: String, status: HTTPResponseStatus = .badRequest) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The library's errors: `isCallerMistake` → 4xx (an unknown unit 404, a
    /// number out of range 422, the rest 400); no usable index → 503; other
    /// faults → 500.
    public init(_ error: SearchError) {
        code = error.code.apiCode
        message = error.message
        switch error.code {
        case .unitNotFound: status = .notFound
        case .badParameter: status = .unprocessableEntity
        case _ where error.isCallerMistake: status = .badRequest
        case .indexNotFound, .indexCorrupt, .indexSchemaMismatch, .shardUnavailable, .shardMismatch: status = .serviceUnavailable
        default: status = .internalServerError
        }
    }

    /// Any error as the API answers it: ours as they are, the library's
    /// translated, anything else a 500 `internal_error`.
    init(any error: Error) {
        switch error {
        case let error as APIError: self = error
        case let error as SearchError: self.init(error)
        default: self.init(.internalError, "\(error)", status: .internalServerError)
        }
    }

    /// A real fault (5xx, logged) rather than the caller's mistake.
    public var isFault: Bool { status.code >= 500 }

    public var description: String { "\(status.code) \(code): \(message)" }
}

extension SearchError.Code {
    var apiCode: APIError.Code { APIError.Code(rawValue: rawValue) }
}

/// The JSON body of an error response.
struct ErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
    }

    var error: Detail

    init(_ error: APIError) {
        self.error = Detail(code: error.code.rawValue, message: error.message)
    }
}
