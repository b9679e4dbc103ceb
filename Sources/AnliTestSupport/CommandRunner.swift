import Foundation

/// The result of running a built executable.
public struct CommandResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
}

/// Runs the built `anli` binary (or another product) the way a user would,
/// capturing its output, as swift-argument-parser's `AssertExecuteCommand` does.
public enum CommandRunner {
    /// - Parameter environment: variables added to (or replacing) this process's.
    public static func run(
        _ arguments: [String], product: String = "anli", currentDirectory: URL? = nil, environment: [String: String] = [:]
    ) throws -> CommandResult {
        // Output goes to files rather than pipes: a child that writes more than
        // a pipe buffer holds cannot block while we wait for it.
        let scratch = try TemporaryDirectory(prefix: "anli-run")
        let outputURL = scratch.url.appendingPathComponent("stdout")
        let errorURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }

        let process = Process()
        process.executableURL = Repository.productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}
