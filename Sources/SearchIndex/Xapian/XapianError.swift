internal import CXapian

/// A failure reported by Xapian (or by the C++ runtime under it), translated
/// at the C boundary: a stable code to branch on, Xapian's own class name and
/// message, and what we were doing when it happened.
///
///     do { _ = try XapianDatabase(path: "/missing") }
///     catch { error.code == .databaseOpening; error.type == "DatabaseNotFoundError" }
struct XapianError: Error, Sendable, CustomStringConvertible {
    /// Grows without breaking callers: new codes are only ever added.
    struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        let rawValue: Int32
        init(rawValue: Int32) { self.rawValue = rawValue }
        private init(_ code: cx_error_code) { rawValue = Int32(bitPattern: code.rawValue) }

        /// Missing, unreadable or not a database (DatabaseOpeningError and its
        /// subclasses DatabaseNotFoundError, DatabaseVersionError).
        static let databaseOpening = Code(CX_ERROR_DATABASE_OPENING)
        /// Another writer holds the lock.
        static let databaseLock = Code(CX_ERROR_DATABASE_LOCK)
        /// Any other DatabaseError: corruption, I/O, use after close.
        static let database = Code(CX_ERROR_DATABASE)
        /// The caller's mistake: a term longer than 245 bytes, an empty term,
        /// a negative scale factor, a bad option.
        static let invalidArgument = Code(CX_ERROR_INVALID_ARGUMENT)
        /// Any other Xapian::Error.
        static let xapian = Code(CX_ERROR_XAPIAN)
        static let outOfMemory = Code(CX_ERROR_OUT_OF_MEMORY)
        /// A std::exception that is not a Xapian error.
        static let std = Code(CX_ERROR_STD)
        static let unknown = Code(CX_ERROR_UNKNOWN)
        /// No document with that id (DocNotFoundError).
        static let documentNotFound = Code(CX_ERROR_DOCUMENT_NOT_FOUND)
        /// The reader fell behind the writer again after one reopen: open a
        /// new XapianDatabase and retry.
        static let databaseModified = Code(CX_ERROR_DATABASE_MODIFIED)
        /// A remote shard (xapian-tcpsrv) that did not answer, after one
        /// reconnect: down, unreachable or timed out.
        static let shardUnavailable = Code(CX_ERROR_SHARD_UNAVAILABLE)

        var description: String {
            switch self {
            case .databaseOpening: "databaseOpening"
            case .databaseLock: "databaseLock"
            case .database: "database"
            case .invalidArgument: "invalidArgument"
            case .xapian: "xapian"
            case .outOfMemory: "outOfMemory"
            case .std: "std"
            case .unknown: "unknown"
            case .documentNotFound: "documentNotFound"
            case .databaseModified: "databaseModified"
            case .shardUnavailable: "shardUnavailable"
            default: "code\(rawValue)"
            }
        }
    }

    let code: Code
    /// Xapian's class name, e.g. "DatabaseNotFoundError", or "std::bad_alloc".
    let type: String
    /// Xapian's message, e.g. "Couldn't stat '/missing'".
    let message: String
    /// What we were doing: the operation and the database path, a term.
    let context: String?

    init(code: Code, type: String, message: String, context: String? = nil) {
        self.code = code
        self.type = type
        self.message = message
        self.context = context
    }

    /// The error a failing cx_* call left in `error`.
    init(_ error: cx_error, context: String? = nil) {
        self.init(
            code: Code(rawValue: error.code),
            type: withUnsafeBytes(of: error.type) { CBytes.string(nulTerminated: $0) },
            message: withUnsafeBytes(of: error.message) { CBytes.string(nulTerminated: $0) },
            context: context)
    }

    /// True for mistakes in what the caller passed (a 4xx, not a fault).
    var isCallerMistake: Bool { code == .invalidArgument }

    var description: String {
        var text = "\(type): \(message)"
        if let context { text += " (\(context))" }
        return text
    }

    /// An argument rejected before it reached Xapian.
    static func invalidArgument(_ message: String, context: String? = nil) -> XapianError {
        XapianError(code: .invalidArgument, type: "InvalidArgumentError", message: message, context: context)
    }
}
