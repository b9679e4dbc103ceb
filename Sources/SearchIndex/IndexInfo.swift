/// What an index says about itself (its metadata).
public struct IndexInfo: Codable, Sendable, Equatable {
    public var schemaVersion: Int
    /// A hash of everything the index was built from (reports, gazetteer,
    /// synonyms, schema): equal revisions hold equal data.
    public var corpusRevision: String
    /// ISO 8601.
    public var builtAt: String
    public var reports: [IndexedReport]
    public var units: Int
    /// The database directory name (`db-…`): changes with every build.
    public var revision: String
    /// How many databases the units are spread over (`anli index --shards`).
    public var shards: Int = 1
}
