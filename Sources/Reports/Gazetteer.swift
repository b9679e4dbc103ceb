/// `corpus/schools.json`: every school the corpus names, with its canonical
/// id, district and kind, and every alias, short form and typo seen in the
/// reports. Every school name the parser reports goes through it.
public struct Gazetteer: Codable, Sendable, Equatable {
    public var version: Int
    public var region: String?
    public var districts: [District]
    public var schools: [School]

    public struct District: Codable, Sendable, Equatable {
        public var name: String
        public var aliases: [String]
    }

    public struct School: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var district: String?
        public var kind: String?
        public var aliases: [String]
        public var notes: String?
    }

    public init(version: Int = 1, region: String? = nil, districts: [District], schools: [School]) {
        self.version = version
        self.region = region
        self.districts = districts
        self.schools = schools
    }

    public func school(id: String) -> School? { schools.first { $0.id == id } }
}
