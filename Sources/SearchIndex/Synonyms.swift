import Foundation

/// `corpus/synonyms.json`: groups of forms the reports use for the same
/// thing (AI / 人工智能, 世校赛 / 世界职业院校技能大赛). Applied at query time,
/// the literal form weighted above its synonyms.
public struct SynonymList: Codable, Sendable, Equatable {
    public struct Group: Codable, Sendable, Equatable {
        public var terms: [String]
        public var note: String?
    }

    public var version: Int
    public var groups: [Group]

    public static let fileName = "synonyms.json"

    public static let empty = SynonymList(version: 1, groups: [])

    /// Reads the list from a corpus directory; a missing file is an empty list.
    public static func load(corpus: URL) throws(SearchError) -> (list: SynonymList, bytes: Data) {
        let url = corpus.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return (.empty, Data()) }
        do {
            let data = try Data(contentsOf: url)
            return (try JSONDecoder().decode(SynonymList.self, from: data), data)
        } catch {
            throw SearchError(.corpus, "\(url.path): cannot read the synonym list: \(error)", context: url.path)
        }
    }
}
