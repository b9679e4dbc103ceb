/// Decides which schools a unit is ABOUT, as opposed to schools it only
/// mentions.
///
/// A case is about the school that acts in it: the one named in its title,
/// or the one that is the subject of a clause in its first sentence
/// (`广州市交通运输职业学校联合…` is about 交通运输, not about the college it
/// works with). Subjects joined by `、`/`与`/`和`/`及` count together. When
/// the first sentence names no acting school, clause subjects anywhere in the
/// text count; then any local school in the first sentence; then a school
/// named at least twice.
struct SubjectSchools {
    let matcher: NameMatcher
    let gazetteer: Gazetteer

    struct Result {
        var about: [String]
        var mentioned: [String]
        var districts: [String]
    }

    private static let clauseBreaks: Set<Character> = ["，", "。", "；", "：", "！", "？", ",", ";", ":", "!", "?", "\n"]
    private static let sentenceEnds: Set<Character> = ["。", "！", "？", "!", "?", "\n"]
    private static let listJoiners: Set<String> = ["、", "与", "和", "及", "以及", "，"]
    private static let foreignKinds: Set<String> = ["外地", "境外"]

    enum Mode {
        /// Case studies and sections: find the acting school.
        case subject
        /// Tables, rows, captions: every school named is what it is about.
        case all
    }

    func analyze(title: String, text: String, mode: Mode, inherited: [String] = []) -> Result {
        let titleIDs = matcher.schoolIDs(in: title)
        let matches = matcher.matches(in: text)
        let characters = Array(text.unicodeScalars)
        var schoolMatches: [(id: String, offset: Int, end: Int)] = []
        var districtNames: [String] = []
        for match in matches {
            switch match.target {
            case .school(let id): schoolMatches.append((id, match.offset, match.offset + spanLength(match.surface, in: characters, from: match.offset)))
            case .district(let name): districtNames.append(name)
            }
        }
        for match in matcher.matches(in: title) {
            if case .district(let name) = match.target { districtNames.append(name) }
        }
        let allIDs = unique(titleIDs + schoolMatches.map(\.id))

        var about: [String]
        switch mode {
        case .all:
            about = allIDs.isEmpty ? inherited : allIDs
        case .subject:
            let leadEnd = characters.firstIndex { Self.sentenceEnds.contains(Character($0)) } ?? characters.count
            var subjects: [(id: String, offset: Int)] = []
            var previousSubjectEnd: Int?
            for match in schoolMatches {
                let isSubject: Bool
                if let end = previousSubjectEnd, end <= match.offset,
                   Self.listJoiners.contains(String(String.UnicodeScalarView(characters[end..<match.offset])).trimmed) {
                    isSubject = true
                } else {
                    isSubject = startsClause(characters, at: match.offset)
                }
                if isSubject {
                    subjects.append((match.id, match.offset))
                    previousSubjectEnd = match.end
                } else {
                    previousSubjectEnd = nil
                }
            }
            about = titleIDs + subjects.filter { $0.offset < leadEnd }.map(\.id)
            if about.isEmpty { about = subjects.map(\.id) }
            if about.isEmpty {
                about = schoolMatches.filter { $0.offset < leadEnd && !isForeign($0.id) }.map(\.id)
            }
            if about.isEmpty {
                var counts: [String: Int] = [:]
                for match in schoolMatches { counts[match.id, default: 0] += 1 }
                if let (id, count) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }), count >= 2 {
                    about = [id]
                }
            }
            if about.isEmpty { about = inherited }
        }
        about = unique(about)
        let mentioned = allIDs.filter { !about.contains($0) }
        var districts = about.compactMap { gazetteer.school(id: $0)?.district }
        districts += districtNames
        return Result(about: about, mentioned: mentioned, districts: unique(districts))
    }

    private func isForeign(_ id: String) -> Bool {
        guard let kind = gazetteer.school(id: id)?.kind else { return false }
        return Self.foreignKinds.contains(kind)
    }

    /// Whether the name at `offset` opens a clause: nothing but whitespace
    /// between it and the start of the text or a clause break.
    private func startsClause(_ characters: [Unicode.Scalar], at offset: Int) -> Bool {
        var index = offset - 1
        while index >= 0 {
            let character = Character(characters[index])
            if character.isWhitespace { index -= 1; continue }
            return Self.clauseBreaks.contains(character)
        }
        return true
    }

    /// The length in scalars of `surface` in the text starting at `offset`,
    /// counting whitespace the matcher skipped.
    private func spanLength(_ surface: String, in characters: [Unicode.Scalar], from offset: Int) -> Int {
        var remaining = surface.unicodeScalars.count
        var index = offset
        while remaining > 0, index < characters.count {
            if !characters[index].properties.isWhitespace { remaining -= 1 }
            index += 1
        }
        return index - offset
    }

    private func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
