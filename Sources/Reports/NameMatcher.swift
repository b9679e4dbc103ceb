/// Finds the schools and districts a text names, through the gazetteer.
///
/// Matching is exact on the text with whitespace removed (PDF extraction puts
/// stray spaces inside names), leftmost-longest, so that
/// `广州市番禺区工商职业技术学校` is one school and not the shorter
/// `番禺区工商职业技术学校` inside it, and a district name inside a school name
/// is not counted as a separate mention of the district.
public struct NameMatcher: Sendable {
    public struct Match: Sendable, Equatable {
        public enum Target: Sendable, Equatable {
            case school(id: String)
            case district(name: String)
        }
        public var target: Target
        /// The name as written (whitespace removed).
        public var surface: String
        /// Offset in Unicode scalars from the start of the text (whitespace
        /// counted), so callers can tell where in a sentence a name stands.
        public var offset: Int
    }

    private struct Pattern: Sendable {
        var scalars: [Unicode.Scalar]
        var target: Match.Target
    }

    /// Patterns by their first scalar, longest first.
    private let patternsByFirst: [Unicode.Scalar: [Pattern]]

    public init(gazetteer: Gazetteer) {
        var byFirst: [Unicode.Scalar: [Pattern]] = [:]
        func add(_ name: String, _ target: Match.Target) {
            let scalars = Array(name.unicodeScalars.filter { !$0.properties.isWhitespace })
            guard let first = scalars.first else { return }
            byFirst[first, default: []].append(Pattern(scalars: scalars, target: target))
        }
        for school in gazetteer.schools {
            add(school.name, .school(id: school.id))
            for alias in school.aliases { add(alias, .school(id: school.id)) }
        }
        for district in gazetteer.districts {
            add(district.name, .district(name: district.name))
            for alias in district.aliases { add(alias, .district(name: district.name)) }
        }
        patternsByFirst = byFirst.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    /// Every school and district named in `text`, in order of appearance.
    public func matches(in text: String) -> [Match] {
        var scalars: [Unicode.Scalar] = []
        var originalOffsets: [Int] = []
        for (offset, scalar) in text.unicodeScalars.enumerated() where !scalar.properties.isWhitespace {
            scalars.append(scalar)
            originalOffsets.append(offset)
        }
        var found: [Match] = []
        var index = 0
        while index < scalars.count {
            var matched = false
            if let candidates = patternsByFirst[scalars[index]] {
                for pattern in candidates where index + pattern.scalars.count <= scalars.count {
                    if scalars[index..<(index + pattern.scalars.count)].elementsEqual(pattern.scalars) {
                        var surface = String.UnicodeScalarView()
                        surface.append(contentsOf: pattern.scalars)
                        found.append(Match(target: pattern.target, surface: String(surface), offset: originalOffsets[index]))
                        index += pattern.scalars.count
                        matched = true
                        break
                    }
                }
            }
            if !matched { index += 1 }
        }
        return found
    }

    public func schoolIDs(in text: String) -> [String] {
        var seen = Set<String>()
        return matches(in: text).compactMap {
            if case .school(let id) = $0.target, seen.insert(id).inserted { return id }
            return nil
        }
    }
}
