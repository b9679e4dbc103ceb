import ArgumentParser
import CXapian

enum AnliVersion {
    static let string = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print anli's version and the Xapian library it uses."
    )

    func run() throws {
        print("anli \(AnliVersion.string) (xapian \(String(cString: cx_version_string())))")
    }
}
