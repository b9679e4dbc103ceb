/// Every knob that decides how results are ordered, in one place, so the
/// benchmark and relevance harness can measure and tune them.
public struct Ranking: Sendable, Equatable, Codable {
    /// wdf added for each title occurrence of a term (body occurrences add 1):
    /// title matches weigh more than body matches.
    public var titleWDF = 4
    /// BM25 parameters (Xapian::BM25Weight). `minNormLength` keeps very short
    /// units (captions, table rows) from outscoring the cases that are about
    /// the topic merely because they are short.
    public var k1 = 1.2
    public var b = 0.75
    public var minNormLength = 0.8
    /// When the query names a school, weight of "the unit is about this
    /// school" (its cases first, then units that only mention it).
    public var aboutSchoolWeight = 4.0
    /// Weight of a synonym relative to the literal form.
    public var synonymWeight = 0.6
    /// Related units: how many characteristic terms to take from a unit, and
    /// how strongly a bigram's characters must stick together to count as a
    /// word (termfreq(ab) / min(termfreq(a), termfreq(b))).
    public var relatedTerms = 20
    public var minimumBigramAssociation = 0.2

    public init() {}

    public static let `default` = Ranking()
}
