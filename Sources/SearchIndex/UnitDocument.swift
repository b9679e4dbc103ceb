import Foundation
import Reports
import TextAnalysis

/// Builds the Xapian document for one unit: content terms for title and
/// body, boolean terms and values for every facet, and the unit itself as
/// the document's data so a hit is shown without re-reading the corpus.
struct UnitDocument {
    let terms: TermGenerator
    let ranking: Ranking

    /// - Parameter ancestors: the ids of the units that hold this one, nearest
    ///   first (a row's table, then the table's case): a partial hit through
    ///   context finds the unit by them.
    func document(for unit: ReportUnit, order: Int, ancestors: [String] = []) throws -> XapianDocument {
        let document = XapianDocument()
        document.addBooleanTerm(IndexSchema.Prefix.id + unit.id)
        for ancestor in ancestors { document.addBooleanTerm(IndexSchema.Prefix.ancestor + ancestor) }

        // Title: unprefixed with a higher wdf (ranking), and under S (title: queries).
        // Normalise each text once: for the terms, and to tell whether script
        // conversion changed it (folding alone is five times cheaper).
        let analyzer = terms.analyzer
        let titleText = analyzer.normalize(searchableTitle(unit))
        let bodyText = analyzer.normalize(searchableBody(unit))
        let convertsChinese = [titleText, bodyText].contains {
            $0.normalized != Analyzer.foldingOnly.normalize($0.original).normalized
        }
        let title = terms.terms(of: analyzer.tokenize(titleText))
        // The title weighs more than the body; a unit that is nothing but
        // its title (a figure: its caption) has no body to outweigh, and a
        // boost would only rank captions above the cases they illustrate.
        let titleWDF = bodyText.normalized.isEmpty ? 1 : ranking.titleWDF
        for posting in title.postings {
            add(posting, to: document, wdf: titleWDF)
            // No positions under S: a `title:` phrase checks its positions on
            // the unprefixed terms (positions cost more than anything else
            // in the index; these would be 15% of them).
            document.addTerm(IndexSchema.Prefix.title + posting.term)
        }
        let bodyStart = title.positionCount + IndexSchema.titleBodyPositionGap
        let body = terms.terms(of: analyzer.tokenize(bodyText), firstPosition: bodyStart)
        for posting in body.postings {
            add(posting, to: document, wdf: 1)
        }

        // Filters (boolean terms) and facets (values).
        document.addBooleanTerm(IndexSchema.Prefix.report + unit.report)
        document.addBooleanTerm(IndexSchema.Prefix.year + String(unit.year))
        document.addBooleanTerm(IndexSchema.Prefix.kind + unit.kind.rawValue)
        if let chapter = unit.chapter { document.addBooleanTerm(IndexSchema.Prefix.chapter + chapter.number) }
        for section in unit.sectionPath { document.addBooleanTerm(IndexSchema.Prefix.section + section) }
        for school in unit.schools.map(\.id) {
            document.addBooleanTerm(IndexSchema.Prefix.school + school)
            document.addTerm(IndexSchema.Prefix.aboutSchool + school)
        }
        for school in unit.mentionedSchools { document.addBooleanTerm(IndexSchema.Prefix.mentionedSchool + school.id) }
        for district in unit.districts { document.addBooleanTerm(IndexSchema.Prefix.district + district) }
        for year in unit.years { document.addBooleanTerm(IndexSchema.Prefix.dataYear + String(year)) }

        document.setValue(IndexSchema.Slot.report, unit.report)
        document.setValue(IndexSchema.Slot.year, XapianValue.sortable(Double(unit.year)))
        document.setValue(IndexSchema.Slot.yearText, String(unit.year))
        document.setValue(IndexSchema.Slot.kind, unit.kind.rawValue)
        if let chapter = unit.chapter { document.setValue(IndexSchema.Slot.chapter, chapter.number) }
        document.setValue(IndexSchema.Slot.schools, Self.joined(unit.schools.map(\.id)))
        document.setValue(IndexSchema.Slot.districts, Self.joined(unit.districts))
        document.setValue(IndexSchema.Slot.dataYears, Self.joined(unit.years.map(String.init)))
        document.setValue(IndexSchema.Slot.order, XapianValue.sortable(Double(order)))

        document.setData(try StoredUnit.encode(unit, convertsChinese: convertsChinese))
        return document
    }

    private func add(_ posting: TermGenerator.Posting, to document: XapianDocument, wdf: Int) {
        if let position = posting.position {
            document.addPosting(posting.term, position: position, wdfIncrement: wdf)
        } else {
            document.addTerm(posting.term, wdfIncrement: wdf)
        }
    }

    /// The ids of the units that hold `unit`, nearest first, up to the
    /// first case or section: a row's table and the case or section that
    /// holds the table; a figure's case. Not the sections above that: a
    /// chapter that mentions a theme once is no context for all its photos.
    ///
    /// - Parameter holders: unit id -> the id and kind of the unit holding it.
    static func ancestors(of unit: ReportUnit, holders: [String: (id: String, kind: UnitKind)]) -> [String] {
        // Cases and sections stand on their own: only what illustrates them
        // (figures, tables, rows) is found through them.
        guard unit.kind == .figure || unit.kind == .table || unit.kind == .row else { return [] }
        var chain: [String] = []
        var next = holders[unit.id]
        while let holder = next, !chain.contains(holder.id), chain.count < 8 {
            chain.append(holder.id)
            if holder.kind == .case || holder.kind == .section { break }
            next = holders[holder.id]
        }
        return chain
    }

    /// For `ancestors(of:holders:)`: each unit's id -> the unit holding it.
    static func holders(in units: [ReportUnit]) -> [String: (id: String, kind: UnitKind)] {
        var kinds: [String: UnitKind] = [:]
        for unit in units { kinds[unit.id] = unit.kind }
        var holders: [String: (id: String, kind: UnitKind)] = [:]
        for unit in units {
            if let parent = unit.parent, let kind = kinds[parent] { holders[unit.id] = (parent, kind) }
        }
        return holders
    }

    /// What a title search sees: the title, plus the case/table/figure label
    /// (`案例 1-12`, `表 6-2`) so that a search for the label finds the unit.
    func searchableTitle(_ unit: ReportUnit) -> String {
        switch unit.kind {
        case .case: return "案例 \(unit.number) \(unit.title)"
        case .table: return "表 \(unit.number) \(unit.title)"
        case .figure: return "图 \(unit.number) \(unit.title)"
        case .section, .row: return unit.title
        }
    }

    /// What a body search sees: the text, plus the footnotes it cites.
    func searchableBody(_ unit: ReportUnit) -> String {
        ([unit.text] + unit.footnotes.map(\.text)).joined(separator: "\n")
    }

    static func joined(_ values: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(IndexSchema.valueSeparator) }
            bytes += Array(value.utf8)
        }
        return bytes
    }
}
