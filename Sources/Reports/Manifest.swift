import Foundation

/// `corpus/reports.json`: the list of reports the corpus holds.
///
/// Adding a report to anli means adding its file to `corpus/` and an entry
/// here; nothing in the code knows any particular report.
public struct Manifest: Codable, Sendable, Equatable {
    public var reports: [ReportInfo]
}

/// What the manifest says about one report.
public struct ReportInfo: Codable, Sendable, Equatable {
    /// Stable id used in unit ids, e.g. `gz-2024`.
    public var id: String
    public var title: String
    public var region: String
    public var publisher: String
    /// The year the report covers (`2024` for 质量报告（2024年度）).
    public var year: Int
    /// e.g. `2023-2024`.
    public var academicYear: String
    /// e.g. `2024-12`.
    public var published: String
    /// File name relative to the corpus directory.
    public var file: String
    /// Set on reports that a tool generated (benchmarks), never on real ones.
    public var synthetic: Bool?

    public init(id: String, title: String, region: String, publisher: String, year: Int,
                academicYear: String, published: String, file: String, synthetic: Bool? = nil) {
        self.id = id
        self.title = title
        self.region = region
        self.publisher = publisher
        self.year = year
        self.academicYear = academicYear
        self.published = published
        self.file = file
        self.synthetic = synthetic
    }
}
