import Foundation

/// Where the live database of an index directory is.
///
/// `anli index` builds each revision into its own directory `db-<time>-<pid>`
/// and then points the symbolic link `current` at it with one `rename(2)`:
/// a reader resolves `current` once and keeps the revision it opened, so it
/// never sees a half-built index, and a build killed midway leaves `current`
/// pointing at the previous revision.
public struct IndexLocation: Sendable, Equatable {
    public static let currentLink = "current"

    /// The index directory (`index/`).
    public var directory: URL
    /// The revision's database directory that `current` pointed at.
    public var database: URL

    /// Resolves `current` in `directory`. A directory that is itself a
    /// Xapian database (or a sharded revision) is accepted as is.
    public static func resolve(_ directory: URL) throws(SearchError) -> IndexLocation {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SearchError(.indexNotFound, "no index directory at \(directory.path); build one with `anli index`", context: directory.path)
        }
        let link = directory.appendingPathComponent(currentLink)
        if let target = try? fileManager.destinationOfSymbolicLink(atPath: link.path) {
            let database = target.hasPrefix("/") ? URL(fileURLWithPath: target) : directory.appendingPathComponent(target)
            return IndexLocation(directory: directory, database: database)
        }
        if fileManager.fileExists(atPath: directory.appendingPathComponent("iamglass").path)
            || fileManager.fileExists(atPath: directory.appendingPathComponent(ShardLayout.stubName).path) {
            return IndexLocation(directory: directory, database: directory)
        }
        // Something else under the link's name: not "no index" but a
        // damaged one. A build replaces a file there; a directory it
        // cannot replace, and we do not delete what we did not make.
        var status = stat()
        if lstat(link.path, &status) == 0 {
            let isDirectory = status.st_mode & S_IFMT == S_IFDIR
            let advice = isDirectory ? "remove that directory, then rebuild with `anli index`" : "rebuild with `anli index`"
            throw SearchError(.indexCorrupt, "\(link.path) is a \(isDirectory ? "directory" : "file"), not the link to the index revision; \(advice)", context: link.path)
        }
        throw SearchError(.indexNotFound, "\(directory.path) holds no index (no `current` link); build one with `anli index`", context: directory.path)
    }

    /// The revision name (`db-…`), which changes with every build.
    public var revision: String { database.lastPathComponent }

    /// Whether the revision's stub lists shards served by xapian-tcpsrv
    /// (`remote HOST:PORT`): their builds change without `current` moving.
    public var listsRemoteShards: Bool {
        let stub = database.appendingPathComponent(ShardLayout.stubName)
        guard let text = try? String(contentsOf: stub, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("remote ") }
    }
}
