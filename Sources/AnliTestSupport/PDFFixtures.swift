import Foundation

/// The PDF fixtures, generated from the seed report by
/// `tools/pdf-fixtures/generate.py` (headless Chromium; the PDFs are not
/// checked in): the seed typeset as published (`gz-2024.pdf`), a second
/// layout with its own text (`layout-b.pdf`, `layout-b.md`), where each
/// heading landed (`*.truth.json`, from the PDFs' outlines) and bad PDFs.
///
/// Generated once per checkout and input: the directory is named after a
/// hash of the generator and the seed report, under `.build/pdf-fixtures/`,
/// so a test run after the first takes no time, and a change to either
/// makes new fixtures.
public enum PDFFixtures {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The fixture directory, generating it the first time it is asked for.
    public static func directory() throws -> URL {
        try lock.withLock {
            if let made { return made }
            let made = try generate()
            self.made = made
            return made
        }
    }

    public static func file(_ name: String) throws -> URL {
        try directory().appendingPathComponent(name)
    }

    /// A heading as the generator's truth file records it.
    public struct Heading: Decodable, Sendable {
        public var title: String
        public var level: Int
        /// Physical page, 1-based.
        public var page: Int
        /// The page number printed on that page, nil in the front matter.
        public var printed: String?
    }

    struct Truth: Decodable {
        var pages: Int
        var headings: [Heading]
    }

    /// Where each heading of `pdf` (`gz-2024`, `layout-b`) landed.
    public static func headings(of pdf: String) throws -> [Heading] {
        let data = try Data(contentsOf: file("\(pdf).truth.json"))
        return try JSONDecoder().decode(Truth.self, from: data).headings
    }

    nonisolated(unsafe) private static var made: URL?
    private static let lock = NSLock()

    private static func generate() throws -> URL {
        let generator = Repository.root.appendingPathComponent("tools/pdf-fixtures/generate.py")
        let seed = Repository.corpus.appendingPathComponent("guangzhou-2024.md")
        var hasher = FNV1a()
        hasher.add(try Data(contentsOf: generator))
        hasher.add(try Data(contentsOf: seed))
        let directory = Repository.root.appendingPathComponent(".build/pdf-fixtures/\(String(hasher.value, radix: 16))")
        let stamp = directory.appendingPathComponent("complete")
        if FileManager.default.fileExists(atPath: stamp.path) { return directory }
        try? FileManager.default.removeItem(at: directory)
        let scratch = directory.deletingLastPathComponent().appendingPathComponent("making-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch.deletingLastPathComponent(), withIntermediateDirectories: true)

        let process = Process()
        // Debian's python3, where python3-selenium and python3-pypdf are.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [generator.path, "--report", seed.path, "--out", scratch.path]
        let log = scratch.deletingLastPathComponent().appendingPathComponent("making-\(getpid()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure(description: "tools/pdf-fixtures/generate.py failed (status \(process.terminationStatus)):\n\(output)")
        }
        _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent("complete").path, contents: Data())
        // Another test process may have made them meanwhile: either copy is whole.
        do {
            try FileManager.default.moveItem(at: scratch, to: directory)
        } catch where FileManager.default.fileExists(atPath: stamp.path) {
            try? FileManager.default.removeItem(at: scratch)
        }
        try? FileManager.default.removeItem(at: log)
        return directory
    }
}

/// 64-bit FNV-1a: names the fixture directory after its inputs.
private struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ data: Data) {
        for byte in data {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
    }
}
