/// How units are laid out in a Xapian database: term prefixes, value slots,
/// metadata keys. Bump `version` whenever any of this changes; a searcher
/// refuses an index built with another version and says to rebuild.
///
/// Prefixes follow Xapian Omega's conventions (`Q` unique id, `S` title, `X…`
/// for our own boolean fields; termprefixes.rst).
enum IndexSchema {
    static let version = 9

    enum Prefix {
        /// Unique id term: `Qgz-2024/case/1-12`.
        static let id = "Q"
        /// Title terms (also indexed unprefixed with a higher wdf): `S产`.
        static let title = "S"
        static let report = "XR"
        static let year = "XY"
        static let kind = "XK"
        static let chapter = "XC"
        /// Every component of the section path: `XP1`, `XP1.1`, `XP1.1.3`.
        static let section = "XP"
        /// Schools the unit is about.
        static let school = "XS"
        /// Schools the unit is about, as a WEIGHTED term (wdf 1): a query
        /// that names a school ranks the units about it first.
        static let aboutSchool = "XA"
        /// Schools the unit only mentions.
        static let mentionedSchool = "XM"
        static let district = "XD"
        /// The years a unit's data and text refer to (`2023-2024 学年`,
        /// `本年度` as the report's year): `XV2023`.
        static let dataYear = "XV"
        /// Every unit that holds this one (`XUgz-2024/case/5-3` on its
        /// figures; a row carries its table and the table's case): how a
        /// figure or row is found through its context as a partial hit.
        static let ancestor = "XU"
    }

    /// Value slots for facets and sorting. Multi-valued slots hold values
    /// joined by U+001F (the C++ match spy splits them).
    enum Slot {
        static let report = 0
        static let year = 1          // sortable_serialise(year), for sorting
        static let yearText = 2      // "2024", for the year facet
        static let kind = 3
        static let chapter = 4
        static let schools = 5       // multi-valued
        static let districts = 6     // multi-valued
        static let order = 7         // sortable_serialise(document order within its report)
        static let dataYears = 8     // multi-valued: "2023", "2024", for the data_year facet
    }

    static let valueSeparator: UInt8 = 0x1F

    enum Metadata {
        static let schemaVersion = "anli.schema"
        static let corpusRevision = "anli.corpus-revision"
        static let builtAt = "anli.built-at"
        /// JSON: [{"id", "title", "year", "hash", "units"}] for every report in the index.
        static let reports = "anli.reports"
        /// JSON: the gazetteer the index was built with (labels for facets, school filters).
        static let gazetteer = "anli.gazetteer"
        /// JSON: the synonym groups the index was built with.
        static let synonyms = "anli.synonyms"
        /// Fingerprint of what every unit depends on (schema, gazetteer,
        /// synonyms, title weight): a new build reuses reports only when equal.
        static let inputs = "anli.inputs"
        /// In every shard: which shard of which build it is ("k/n db-…",
        /// see `ShardIdentity`).
        static let shard = "anli.shard"
    }

    /// Xapian refuses terms longer than 245 bytes; longer tokens are skipped.
    static let maximumTermBytes = 240

    /// Gap between the title's positions and the body's, so that a phrase
    /// cannot match across the two.
    static let titleBodyPositionGap = 100
}
