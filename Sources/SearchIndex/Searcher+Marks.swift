import Reports

/// Where a query's words are written in a unit, for a reader that shows the
/// whole unit with them marked (the web page's unit view, a script), as a
/// hit's snippet marks them: the same words, found on the normalised text
/// (so 產教融合 marks 产教融合) and given back as offsets in the text as written.
public struct UnitMarks: Sendable, Equatable {
    /// Character (Unicode scalar) offsets, each [start, end), sorted and
    /// disjoint.
    public var title: [Range<Int>]
    public var text: [Range<Int>]
}

extension Searcher {
    /// The marks of `query`'s words in `unit`: its words and phrases, not
    /// its fields or filters. A query that does not parse is a `bad_query`,
    /// as in a search.
    public func marks(in unit: ReportUnit, query: String) throws(SearchError) -> UnitMarks {
        let compiled = try compiler.compile(try QuerySyntax.parse(query), filters: [:])
        return UnitMarks(
            title: Snippet.characterMarks(in: unit.title, highlighting: compiled.highlights, analyzer: analyzer),
            text: Snippet.characterMarks(in: unit.text, highlighting: compiled.highlights, analyzer: analyzer))
    }
}
