import Foundation

/// Where things are in the checkout, for tests that use the real corpus or
/// run the built `anli` binary.
public enum Repository {
    /// The package root, found from this source file's location.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `corpus/` of the checkout.
    public static var corpus: URL { root.appendingPathComponent("corpus") }

    /// Copies `corpus/` to `destination` (created), for a test that edits
    /// a report.
    public static func copyCorpus(to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus.path) {
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(name), to: destination.appendingPathComponent(name))
        }
    }

    /// The directory holding the built products of the running test bundle.
    /// It follows `--scratch-path` (on Linux the test runner is itself an
    /// executable in that directory), so under `tools/test --sanitize` the
    /// tests start the instrumented `anli`, not the one in `.build`.
    public static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        fatalError("couldn't find the products directory")
        #else
        return Bundle.main.bundleURL
        #endif
    }
}
