/// An error raised while setting up text analysis.
///
/// Analysis itself never fails: once an ``Analyzer`` exists, ``Analyzer/normalize(_:)`` and
/// ``Analyzer/tokenize(_:)`` accept any string. The only fault is a missing or broken
/// OpenCC installation, which is reported when the analyser is created.
///
/// ```swift
/// do {
///     let analyzer = try Analyzer()
/// } catch {
///     print(error)   // converterUnavailable: OpenCC could not open … (install libopencc-data)
/// }
/// ```
public struct AnalysisError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code. New codes can be added without breaking
    /// callers, so switch over them with a `default` branch.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears in logs and JSON, e.g. `"converterUnavailable"`.
        public let rawValue: String

        private init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// OpenCC's traditional -> simplified converter could not be loaded (library or
        /// data files missing, or the configuration is unreadable).
        public static let converterUnavailable = Code("converterUnavailable")
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// A human-readable explanation that says what was tried and what to do next.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
