import Foundation

/// Publishing a finished revision in an index directory, for a build
/// (`IndexBuilder`) and for a replica (`Replica`) alike: the revision is
/// renamed into place, then `current` is pointed at it with one rename(2),
/// so a reader resolving `current` finds the old revision or the new one,
/// never a mix.
struct RevisionSwitch {
    let indexDirectory: URL

    /// Renames the finished revision `building` to `final`, then points
    /// `current` at it, replacing the old link atomically.
    func publish(building: URL, final: URL) throws(SearchError) {
        let fileManager = FileManager.default
        let temporaryLink = indexDirectory.appendingPathComponent("\(IndexLocation.currentLink).\(getpid()).tmp")
        let link = indexDirectory.appendingPathComponent(IndexLocation.currentLink)
        do {
            try fileManager.moveItem(at: building, to: final)
            try? fileManager.removeItem(at: temporaryLink)
            try fileManager.createSymbolicLink(atPath: temporaryLink.path, withDestinationPath: final.lastPathComponent)
        } catch {
            throw SearchError(.indexWriteFailed, "cannot publish the new index: \(error.localizedDescription)", context: final.path)
        }
        guard rename(temporaryLink.path, link.path) == 0 else {
            let reason = String(cString: strerror(errno))
            // A directory where the link belongs is not ours to delete.
            let advice = errno == EISDIR ? "; it is a directory, not anli's link: move it away and run `anli index` again" : ""
            throw SearchError(.indexWriteFailed, "cannot switch \(link.path) to the new index: \(reason)\(advice)", context: link.path)
        }
    }

    /// Removes revisions older than the previous one (a reader may still
    /// have the previous one open) and leftovers of killed builds.
    func pruneOldRevisions(keeping: [String]) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: indexDirectory.path) else { return }
        for name in names where name.hasPrefix("db-") && !keeping.contains(name) {
            try? fileManager.removeItem(at: indexDirectory.appendingPathComponent(name))
        }
        for name in names where name.hasPrefix("\(IndexLocation.currentLink).") && name.hasSuffix(".tmp") {
            try? fileManager.removeItem(at: indexDirectory.appendingPathComponent(name))
        }
    }
}
