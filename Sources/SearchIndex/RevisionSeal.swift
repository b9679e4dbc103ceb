import Foundation

/// What a published revision's files looked like when a searcher opened
/// them: size, modification time and inode of every file in its directory
/// (and in its shards' directories).
///
/// anli never writes a revision once it is published (a build makes a new
/// one), so a change means someone or something wrote into it. Xapian 1.4's
/// glass tables have no block checksums and do not bound-check what they
/// read: bytes overwritten in place can crash the reading process inside
/// Xapian (a segfault in its key comparison, seen with random overwrites),
/// not just give an error. Comparing a few `stat`s before each piece of work
/// (some microseconds) keeps such files from being read at all.
public struct RevisionSeal: Sendable, Equatable {
    struct FileState: Sendable, Equatable {
        var name: String
        var size: Int64
        var modified: Int64
        var inode: UInt64
    }

    public let directory: String
    let files: [FileState]

    init(directory: String) {
        self.directory = directory
        // The files of the revision and, when it is sharded, of its shards.
        var names: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? [] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                let inner = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + name))?.sorted() ?? []
                names += inner.map { name + "/" + $0 }
            } else {
                names.append(name)
            }
        }
        files = names.compactMap { Self.state(of: $0, in: directory) }
    }

    /// Throws `index_corrupt` when a file changed since the seal was taken.
    public func check(revision: String) throws(SearchError) {
        guard let file = brokenFile() else { return }
        throw SearchError(
            .indexCorrupt,
            "the file \(file) of index revision \(revision) changed after the revision was published (anli never writes a published revision): it is not read again; rebuild the index with `anli index`",
            context: directory)
    }

    /// The first file that changed or vanished since the seal was taken; nil
    /// when none did.
    func brokenFile() -> String? {
        for file in files where Self.state(of: file.name, in: directory) != file {
            return file.name
        }
        return nil
    }

    private static func state(of name: String, in directory: String) -> FileState? {
        var status = stat()
        guard stat(directory + "/" + name, &status) == 0 else { return nil }
        let modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        return FileState(name: name, size: Int64(status.st_size), modified: modified, inode: UInt64(status.st_ino))
    }
}
