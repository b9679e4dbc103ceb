import COpenCC
import Foundation

/// Owns one OpenCC converter handle (traditional -> simplified) and closes it on `deinit`.
///
/// Thread safety, checked against the OpenCC 1.1.6 sources and the installed headers
/// (`/usr/include/opencc`):
/// - `opencc_convert_utf8` calls `SimpleConverter::Convert(...) const`, which reaches
///   `Converter::Convert const` -> `MaxMatchSegmentation::Segment const` and
///   `ConversionChain::Convert const`. Every member on that path is declared `const`
///   (no `mutable` state), and `MarisaDict::Match*` builds a fresh `marisa::Agent` on the
///   stack for each lookup, so the loaded dictionaries are only read. Concurrent
///   conversions on one handle are therefore safe and are NOT serialised here.
/// - The only shared mutable state in the C API is a file-static `std::string cError`
///   that `opencc_open` and a *failing* conversion write. Opening is serialised with
///   ``openLock``. A conversion fails only on invalid UTF-8, which a Swift `String` never
///   holds; we also never read `opencc_error()` after a conversion.
/// - `opencc_close` runs in `deinit`, when no other reference (hence no other thread)
///   can be using the handle.
final class ChineseConverter: @unchecked Sendable {
    // @unchecked Sendable: `handle` is immutable after init and only used through
    // OpenCC's const conversion path (see the type comment), so sharing it across
    // threads is safe.
    private let handle: opencc_t

    /// The configuration file OpenCC actually opened (for diagnostics).
    let configuration: String

    /// Serialises `opencc_open`, which writes OpenCC's global error string on failure.
    private static let openLock = NSLock()

    /// Where `t2s.json` is looked for, in order. The bare name comes first so that OpenCC
    /// searches its own data directory (its PKGDATADIR, `/usr/share/opencc` on Debian);
    /// the absolute paths cover installs whose data directory differs from the library's.
    static let traditionalToSimplifiedCandidates = [
        "t2s.json",
        "/usr/share/opencc/t2s.json",
        "/usr/local/share/opencc/t2s.json",
        "/opt/homebrew/share/opencc/t2s.json",
    ]

    /// One converter per process for the default configuration: loading the dictionaries
    /// costs milliseconds, converting with a shared handle costs nothing extra.
    static let shared: Result<ChineseConverter, AnalysisError> = Result {
        () throws(AnalysisError) -> ChineseConverter in
        try ChineseConverter(candidates: traditionalToSimplifiedCandidates)
    }

    /// Opens the first configuration in `candidates` that OpenCC accepts.
    init(candidates: [String]) throws(AnalysisError) {
        var failures: [String] = []
        for candidate in candidates {
            switch Self.open(candidate) {
            case .success(let handle):
                self.handle = handle
                self.configuration = candidate
                return
            case .failure(let reason):
                failures.append("\(candidate): \(reason)")
            }
        }
        throw AnalysisError(
            code: .converterUnavailable,
            message: "OpenCC could not open a traditional-to-simplified configuration. Tried "
                + failures.joined(separator: "; ")
                + ". Install the OpenCC data files (Debian/Ubuntu: apt-get install libopencc-data)"
                + " or pass the path of t2s.json explicitly."
        )
    }

    deinit {
        opencc_close(handle)
    }

    private static func open(_ configuration: String) -> Result<opencc_t, OpenFailure> {
        openLock.lock()
        defer { openLock.unlock() }
        // OpenCC signals failure with (opencc_t)-1, not NULL; check both.
        guard let handle = opencc_open(configuration), Int(bitPattern: handle) != -1 else {
            let reason = opencc_error().map { String(cString: $0) } ?? "unknown error"
            return .failure(OpenFailure(reason: reason.isEmpty ? "unknown error" : reason))
        }
        return .success(handle)
    }

    private struct OpenFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// Converts UTF-8 text with OpenCC; `nil` if OpenCC reported a failure.
    ///
    /// OpenCC stops at the first NUL byte, so callers must not pass text containing one.
    func convert(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let base = utf8.baseAddress, !utf8.isEmpty else { return [] }
        let input = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        guard let output = opencc_convert_utf8(handle, input, utf8.count) else { return nil }
        defer { opencc_convert_utf8_free(output) }
        let length = strlen(output)
        return Array(UnsafeRawBufferPointer(start: output, count: length))
    }
}
