import Foundation
import Reports

/// The metadata an index carries about itself, written by `IndexBuilder`
/// and read by `Searcher`: schema version, revision, reports, and the
/// gazetteer and synonyms the units were resolved with.
struct IndexMetadata {
    var schemaVersion: Int
    var corpusRevision: String
    var builtAt: String
    var reports: [IndexedReport]
    var gazetteer: Gazetteer
    var synonymGroups: [[String]]
    var documentCount: Int

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func write(to database: XapianWritableDatabase) throws {
        try database.setMetadata(IndexSchema.Metadata.schemaVersion, String(schemaVersion))
        try database.setMetadata(IndexSchema.Metadata.corpusRevision, corpusRevision)
        try database.setMetadata(IndexSchema.Metadata.builtAt, builtAt)
        try database.setMetadata(IndexSchema.Metadata.reports, String(decoding: try Self.encoder.encode(reports), as: UTF8.self))
        try database.setMetadata(IndexSchema.Metadata.gazetteer, String(decoding: try Self.encoder.encode(gazetteer), as: UTF8.self))
        try database.setMetadata(IndexSchema.Metadata.synonyms, String(decoding: try Self.encoder.encode(synonymGroups), as: UTF8.self))
    }

    static func notAnIndex(path: String) -> SearchError {
        SearchError(.indexCorrupt, "\(path) is a Xapian database but not an anli index (no schema version); rebuild with `anli index`", context: path)
    }

    static func schemaMismatch(_ version: Int, path: String) -> SearchError {
        SearchError(.indexSchemaMismatch, "the index at \(path) was built with schema version \(version); this anli reads version \(IndexSchema.version). Rebuild it with `anli index`", context: path)
    }

    /// Reads and checks the metadata: a missing or different schema version
    /// is an error that says to rebuild.
    static func read(from database: XapianDatabase, path: String) throws(SearchError) -> IndexMetadata {
        func value(_ key: String) throws(SearchError) -> String {
            do {
                return try database.metadata(key)
            } catch {
                throw Searcher.translate(error, path: path)
            }
        }
        let versionText = try value(IndexSchema.Metadata.schemaVersion)
        guard let version = Int(versionText) else { throw notAnIndex(path: path) }
        guard version == IndexSchema.version else { throw schemaMismatch(version, path: path) }
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws(SearchError) -> T {
            let text = try value(key)
            do {
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            } catch {
                throw SearchError(.indexCorrupt, "index metadata '\(key)' is unreadable; rebuild with `anli index`", context: path)
            }
        }
        let count: Int
        do {
            count = try database.documentCount
        } catch {
            throw Searcher.translate(error, path: path)
        }
        return IndexMetadata(
            schemaVersion: version,
            corpusRevision: try value(IndexSchema.Metadata.corpusRevision),
            builtAt: try value(IndexSchema.Metadata.builtAt),
            reports: try decode([IndexedReport].self, IndexSchema.Metadata.reports),
            gazetteer: try decode(Gazetteer.self, IndexSchema.Metadata.gazetteer),
            synonymGroups: try decode([[String]].self, IndexSchema.Metadata.synonyms),
            documentCount: count)
    }
}
