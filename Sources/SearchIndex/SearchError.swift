/// Everything that can go wrong in indexing or searching, with a stable code.
///
/// `isCallerMistake` separates the caller's mistakes (a bad query, an unknown
/// school, a limit out of range: HTTP 4xx) from real faults (a corrupt index,
/// an I/O error: HTTP 5xx, logged).
public struct SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes; a struct so that new codes do not break callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // The caller's mistakes.
        public static let badQuery = Code(rawValue: "bad_query")
        public static let badParameter = Code(rawValue: "bad_parameter")
        public static let unknownField = Code(rawValue: "unknown_field")
        public static let unknownSchool = Code(rawValue: "unknown_school")
        public static let unitNotFound = Code(rawValue: "unit_not_found")
        // The index.
        public static let indexNotFound = Code(rawValue: "index_not_found")
        public static let indexCorrupt = Code(rawValue: "index_corrupt")
        /// A remote shard of the index did not answer (its xapian-tcpsrv is
        /// down, unreachable or too slow): no answer is given rather than
        /// one that leaves the shard out.
        public static let shardUnavailable = Code(rawValue: "shard_unavailable")
        /// The shards an index lists are not shards 0 … n-1 of one build
        /// (shards of two builds, one missing, or out of order).
        public static let shardMismatch = Code(rawValue: "shard_mismatch")
        public static let indexSchemaMismatch = Code(rawValue: "index_schema_mismatch")
        public static let indexLocked = Code(rawValue: "index_locked")
        public static let indexWriteFailed = Code(rawValue: "index_write_failed")
        // Real faults.
        public static let corpus = Code(rawValue: "corpus_error")
        public static let `internal` = Code(rawValue: "internal_error")
    }

    public var code: Code
    public var message: String
    /// The query, parameter or path the error is about.
    public var context: String?

    public init(_ code: Code, _ message: String, context: String? = nil) {
        self.code = code
        self.message = message
        self.context = context
    }

    public var isCallerMistake: Bool {
        [.badQuery, .badParameter, .unknownField, .unknownSchool, .unitNotFound].contains(code)
    }

    public var description: String {
        if let context { return "\(message) [\(code)] (\(context))" }
        return "\(message) [\(code)]"
    }
}
