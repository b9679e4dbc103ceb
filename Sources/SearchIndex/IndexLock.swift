import Foundation

/// An exclusive lock on an index directory (`flock` on `.lock`), so that two
/// `anli index` runs cannot build into the same index at once. The kernel
/// drops the lock when the process dies, so a killed build never leaves the
/// index locked.
final class IndexLock {
    private let descriptor: Int32

    /// Creates `directory` (and its parents) when missing, then locks it.
    convenience init(creating directory: URL) throws(SearchError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SearchError(.indexWriteFailed, "cannot create \(directory.path): \(error.localizedDescription)", context: directory.path)
        }
        try self.init(directory: directory)
    }

    init(directory: URL) throws(SearchError) {
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SearchError(.indexWriteFailed, "cannot create \(path): \(String(cString: strerror(errno)))", context: path)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            let who = holder.map { $0.isEmpty ? "" : " (pid \($0))" } ?? ""
            throw SearchError(.indexLocked, "another `anli index` is building \(directory.path)\(who); wait for it to finish", context: directory.path)
        }
        self.descriptor = descriptor
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
