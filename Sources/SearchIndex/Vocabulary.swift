import Reports
import TextAnalysis

/// What the index knows about names, read from its metadata: the school
/// gazetteer (to resolve `school:广城` and label facets), districts, reports,
/// and the synonym groups. Query values go through the same analyser as the
/// text, so `school:廣州市信息技術職業學校` resolves too.
struct Vocabulary: Sendable {
    let gazetteer: Gazetteer
    let reports: [IndexedReport]
    /// Normalised form -> the other normalised forms of its group.
    let synonyms: [String: [String]]

    private let schoolIDs: [String: String]
    /// Canonical id -> name: labels every hit's schools and the school facet
    /// (a linear search of 13,000 schools was 8% of a search at ×2,000).
    private let schoolNames: [String: String]
    private let districtNames: [String: String]
    /// Chapter numbers (`5`, `preface`) and the numbers of each chapter
    /// title (the same title may have another number in another report).
    private let chapterNumbers: Set<String>
    private let chaptersByTitle: [String: [String]]
    /// Every school name and alias, normalised, with its school's name, and
    /// for each character the names that hold it: the suggestions look a
    /// short form up among thousands of schools without normalising them
    /// per query.
    let normalizedSchoolNames: [(name: String, normalized: [Character])]
    let schoolNamesByCharacter: [Character: [Int]]
    private let analyzer: Analyzer

    init(gazetteer: Gazetteer, reports: [IndexedReport], synonymGroups: [[String]], analyzer: Analyzer) {
        self.gazetteer = gazetteer
        self.reports = reports
        self.analyzer = analyzer
        var schoolIDs: [String: String] = [:]
        var normalizedNames: [(name: String, normalized: [Character])] = []
        var byCharacter: [Character: [Int]] = [:]
        for school in gazetteer.schools {
            schoolIDs[Self.key(school.id, analyzer)] = school.id
            for name in [school.name] + school.aliases {
                // Normalised once: the key and the suggestions' list.
                let normalized = analyzer.normalize(name).normalized
                schoolIDs[normalized.filter { !$0.isWhitespace }] = school.id
                let characters = Array(normalized)
                for character in Set(characters) { byCharacter[character, default: []].append(normalizedNames.count) }
                normalizedNames.append((school.name, characters))
            }
        }
        self.normalizedSchoolNames = normalizedNames
        self.schoolNamesByCharacter = byCharacter
        self.schoolIDs = schoolIDs
        var names: [String: String] = [:]
        for school in gazetteer.schools where names[school.id] == nil { names[school.id] = school.name }
        self.schoolNames = names
        var districts: [String: String] = [:]
        for district in gazetteer.districts {
            for name in [district.name] + district.aliases { districts[Self.key(name, analyzer)] = district.name }
        }
        self.districtNames = districts
        var numbers = Set<String>()
        var byTitle: [String: [String]] = [:]
        for chapter in reports.flatMap(\.chapters) {
            let number = analyzer.normalize(chapter.number).normalized
            numbers.insert(number)
            let title = Self.key(chapter.title, analyzer)
            if !(byTitle[title] ?? []).contains(number) { byTitle[title, default: []].append(number) }
        }
        self.chapterNumbers = numbers
        self.chaptersByTitle = byTitle

        var synonyms: [String: [String]] = [:]
        // A school's names, short forms and typos are synonyms too: a search
        // for 广州市财经商贸职业许校 finds what the canonical name finds.
        let schoolGroups = gazetteer.schools.map { [$0.name] + $0.aliases }.filter { $0.count > 1 }
        for group in synonymGroups + schoolGroups {
            let forms = group.map { analyzer.normalize($0).normalized }
            for form in forms { synonyms[Self.synonymKey(form, analyzer)] = forms.filter { $0 != form } }
        }
        self.synonyms = synonyms
    }

    /// How a synonym form is looked up: its tokens, joined (`3D 打印` and
    /// `3d打印` are the same key).
    static func synonymKey(_ text: String, _ analyzer: Analyzer) -> String {
        analyzer.tokenize(text).map(\.text).joined()
    }

    private static func key(_ name: String, _ analyzer: Analyzer) -> String {
        analyzer.normalize(name).normalized.filter { !$0.isWhitespace }
    }

    /// The canonical id when `text` is exactly a school's name, alias or typo.
    func schoolID(named text: String) -> String? {
        schoolIDs[Self.key(text, analyzer)]
    }

    /// The canonical id for a school id, name, alias or typo in the gazetteer.
    func schoolID(for value: String) throws(SearchError) -> String {
        let key = Self.key(value, analyzer)
        if let id = schoolIDs[key] { return id }
        let suggestions = gazetteer.schools.filter { school in
            ([school.name] + school.aliases).contains { Self.key($0, analyzer).contains(key) }
        }.prefix(5).map { "\($0.name) (\($0.id))" }
        let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.joined(separator: ", ") + "?"
        throw SearchError(.unknownSchool, "unknown school '\(value)'\(hint)", context: "school")
    }

    func schoolName(_ id: String) -> String { schoolNames[id] ?? id }

    func districtName(for value: String) throws(SearchError) -> String {
        if let name = districtNames[Self.key(value, analyzer)] { return name }
        let known = gazetteer.districts.map(\.name).joined(separator: ", ")
        throw SearchError(.badParameter, "unknown district '\(value)'; districts are \(known)", context: "district")
    }

    /// The chapter numbers `value` names: a chapter number, or a chapter's
    /// title (`产教融合` → `5`; every number it has in some report).
    func chapterNumbers(for value: String) throws(SearchError) -> [String] {
        let number = analyzer.normalize(value).normalized
        if chapterNumbers.contains(number) { return [number] }
        if let numbers = chaptersByTitle[Self.key(value, analyzer)] { return numbers }
        let known = Dictionary(grouping: reports.flatMap(\.chapters), by: \.number).keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        let examples = known.prefix(12).compactMap { number in reports.lazy.flatMap(\.chapters).first { $0.number == number } }
            .map { "\($0.number) \($0.title)" }.joined(separator: ", ")
        throw SearchError(.badParameter, "unknown chapter '\(value)'; give a chapter's number or title: \(examples)\(known.count > 12 ? ", …" : "")", context: "chapter")
    }

    func reportID(for value: String) throws(SearchError) -> String {
        if reports.contains(where: { $0.id == value }) { return value }
        let known = reports.map(\.id).joined(separator: ", ")
        throw SearchError(.badParameter, "unknown report '\(value)'; the index holds \(known)", context: "report")
    }
}

/// One report as the index records it (metadata `anli.reports`).
public struct IndexedReport: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var year: Int
    /// SHA-256 of the report file, for incremental rebuilds.
    public var hash: String
    public var units: Int
    /// The report's chapters, for facet labels.
    public var chapters: [ChapterRef]
}
