import Foundation

/// A corpus of several copies of the repository's report under distinct ids
/// and years, as `tools/bench/bench.py`'s `synthesize` writes it: large
/// enough that a build takes a while (fault tests kill it midway) and with
/// more reports than the builder prepares ahead of its writer.
public enum SyntheticCorpus {
    /// Writes `copies` copies into `directory` (created if needed) with ids
    /// `copy-0` … and files `copy-0.md` …, and returns the report ids.
    @discardableResult
    public static func write(copies: Int, to directory: URL) throws -> [String] {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["schools.json", "synonyms.json"] {
            try fileManager.copyItem(at: Repository.corpus.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: Repository.corpus.appendingPathComponent("reports.json"))) as? [String: Any]
        guard let original = (manifest?["reports"] as? [[String: Any]])?.first, let file = original["file"] as? String,
              let year = original["year"] as? Int
        else { throw CocoaError(.fileReadCorruptFile) }
        var reports: [[String: Any]] = []
        for copy in 0..<copies {
            var entry = original
            entry["id"] = "copy-\(copy)"
            entry["year"] = year - copy
            entry["file"] = "copy-\(copy).md"
            reports.append(entry)
            try fileManager.copyItem(at: Repository.corpus.appendingPathComponent(file), to: directory.appendingPathComponent("copy-\(copy).md"))
        }
        let data = try JSONSerialization.data(withJSONObject: ["reports": reports], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: directory.appendingPathComponent("reports.json"))
        return reports.compactMap { $0["id"] as? String }
    }
}
