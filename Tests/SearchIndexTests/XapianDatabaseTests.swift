import AnliTestSupport
import Foundation
import Testing

@testable import SearchIndex

// MARK: - Fixture

/// A unit of the small test corpus: text indexed the way TermGenerator's CJK
/// n-gram mode does it (unigrams with positions, bigrams without), plus the
/// boolean terms, values and data a real unit carries.
struct XapianFixtureUnit {
    var id: String
    var text: String
    var school: String
    var schools: [String]
    var year: Int
}

enum XapianFixture {
    static let yearSlot = 0
    static let schoolSlot = 1
    static let schoolsSlot = 2

    /// Five units. 产业融合教育 holds 产 教 融 合 but not as the run 产教融合;
    /// 产教融合校企合作 holds both runs; schools overlap in the multi-valued slot.
    static let units: [XapianFixtureUnit] = [
        .init(id: "d1", text: "产教融合", school: "a", schools: ["a"], year: 2021),
        .init(id: "d2", text: "产业融合教育", school: "a", schools: ["a"], year: 2019),
        .init(id: "d3", text: "校企合作", school: "b", schools: ["a", "b"], year: 2022),
        .init(id: "d4", text: "产教融合校企合作", school: "b", schools: ["b", "c"], year: 2023),
        .init(id: "d5", text: "职业教育", school: "c", schools: ["c"], year: 2020),
    ]

    /// Tokens of `text`: each CJK character alone, runs of ASCII letters and
    /// digits as one word.
    static func tokens(_ text: String) -> [(text: String, cjk: Bool)] {
        var tokens: [(text: String, cjk: Bool)] = []
        var word = ""
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber) {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append((word.lowercased(), false)); word = "" }
            if !character.isWhitespace { tokens.append((String(character), true)) }
        }
        if !word.isEmpty { tokens.append((word.lowercased(), false)) }
        return tokens
    }

    static func document(_ unit: XapianFixtureUnit) -> XapianDocument {
        let document = XapianDocument()
        let tokens = tokens(unit.text)
        for (index, token) in tokens.enumerated() {
            document.addPosting(token.text, position: index + 1)
            if index > 0, token.cjk, tokens[index - 1].cjk { document.addTerm(tokens[index - 1].text + token.text) }
        }
        document.addBooleanTerm("Q" + unit.id)
        document.addBooleanTerm("K" + unit.school)
        for school in unit.schools { document.addBooleanTerm("XS" + school) }
        document.setValue(yearSlot, XapianValue.sortable(Double(unit.year)))
        document.setValue(schoolSlot, unit.school)
        document.setValue(schoolsSlot, XapianValue.multiValue(unit.schools))
        document.setData(Array(unit.id.utf8))
        return document
    }

    /// Builds `units` into `directory/db` with one commit and opens a reader.
    static func build(_ units: [XapianFixtureUnit] = units, in directory: TemporaryDirectory) throws -> XapianDatabase {
        let path = directory.url.appendingPathComponent("db").path
        let writer = try XapianWritableDatabase(creatingAt: path)
        for unit in units { try writer.add(document(unit)) }
        try writer.close()
        return try XapianDatabase(path: path)
    }

    static func ids(_ matches: XapianMatches) -> [String] {
        matches.hits.map { String(decoding: $0.data, as: UTF8.self) }
    }

    static func path(_ directory: TemporaryDirectory) -> String {
        directory.url.appendingPathComponent("db").path
    }
}

// MARK: - Writing and reading

@Suite struct XapianDatabaseTests {
    @Test func buildsAndCountsDocuments() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        #expect(try database.documentCount == XapianFixture.units.count)
        // 产 is in d1, d2, d4; the bigram 产教 (no positions) in d1 and d4.
        #expect(try database.termFrequency("产") == 3)
        #expect(try database.termFrequency("产教") == 2)
        #expect(try database.termFrequency("Kb") == 2)
        #expect(try database.termFrequency("absent") == 0)
    }

    @Test func metadataRoundTrips() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        try writer.setMetadata("schema", "3")
        // Values may hold any bytes, NUL included, and CJK text.
        try writer.setMetadata("reports", "[\"一\",\u{0}\"二\"]")
        try writer.close()

        let database = try XapianDatabase(path: path)
        #expect(try database.metadata("schema") == "3")
        #expect(try database.metadata("reports") == "[\"一\",\u{0}\"二\"]")
        #expect(try database.metadata("unset") == "")
    }

    @Test func synonymsRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        try writer.addSynonym("产教融合", "校企合作")
        try writer.addSynonym("产教融合", "产学研")
        try writer.addSynonym("双高", "双高计划")
        try writer.close()

        let database = try XapianDatabase(path: path)
        #expect(try database.synonyms(of: "产教融合") == ["产学研", "校企合作"])  // byte order
        #expect(try database.synonyms(of: "双高") == ["双高计划"])
        #expect(try database.synonyms(of: "校企合作") == [])  // synonyms are one-way
    }

    @Test func findsADocumentByItsUniqueTerm() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        let found = try #require(try database.document(uniqueTerm: "Qd3"))
        #expect(found.data == Array("d3".utf8))
        #expect(found.docid == 3)
        #expect(try database.document(uniqueTerm: "Qmissing") == nil)
    }

    @Test func listsTheTermsOfADocument() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        let docid = try #require(try database.document(uniqueTerm: "Qd1")).docid
        #expect(
            try database.terms(ofDocument: docid).sorted()
                == ["Ka", "Qd1", "XSa", "产", "产教", "合", "教", "教融", "融", "融合"].sorted())
        #expect(throws: XapianError.self) { try database.terms(ofDocument: 999) }
        do {
            _ = try database.terms(ofDocument: 999)
        } catch {
            #expect(error.code == .documentNotFound)
            #expect(error.type == "DocNotFoundError")
        }
    }

    @Test func replacesAndDeletesByUniqueTerm() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        for unit in XapianFixture.units { try writer.add(XapianFixture.document(unit)) }
        // Before any commit: replace and delete see the uncommitted documents.
        var changed = XapianFixture.units[0]
        changed.text = "现代学徒制"
        let docid = try writer.replace(uniqueTerm: "Qd1", with: XapianFixture.document(changed))
        #expect(docid == 1)  // the replaced document keeps its id
        try writer.delete(uniqueTerm: "Qd2")
        try writer.delete(uniqueTerm: "Qnever-there")  // not an error
        // A replace of an id that is not there adds the document.
        let added = XapianFixtureUnit(id: "d6", text: "学徒", school: "c", schools: ["c"], year: 2024)
        #expect(try writer.replace(uniqueTerm: "Qd6", with: XapianFixture.document(added)) == 6)
        try writer.close()

        let database = try XapianDatabase(path: path)
        #expect(try database.documentCount == 5)
        #expect(try database.document(uniqueTerm: "Qd2") == nil)
        #expect(try database.termFrequency("学") == 2)  // d1 (replaced) and d6
        let all = XapianQuery.combine(.and, [.term("产"), .term("教")])
        // d1 no longer says 产教融合, d2 is gone: only d4 is left.
        #expect(XapianFixture.ids(try database.search(all, options: .init())) == ["d4"])
    }

    @Test func copiesDocumentsFromAnotherDatabase() throws {
        let source = try TemporaryDirectory(prefix: "xapian")
        let previous = try XapianFixture.build(in: source)
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        #expect(try writer.addDocuments(from: previous, withTerm: "Kb") == 2)
        #expect(try writer.addDocuments(from: previous, withTerm: "Knone") == 0)
        try writer.close()

        let database = try XapianDatabase(path: path)
        #expect(try database.documentCount == 2)
        // Positions, values and data come along: a phrase still matches.
        let phrase = XapianQuery.combine(.phrase, ["校", "企", "合", "作"].enumerated().map { .term($1, position: $0 + 1) })
        var options = XapianSearchOptions()
        options.sort = .value(slot: XapianFixture.yearSlot, descending: false)
        #expect(XapianFixture.ids(try database.search(phrase, options: options)) == ["d3", "d4"])
    }

    /// A copy of every document ranks exactly like the original: the same
    /// terms, wdf, positions and values.
    @Test func aFullCopyRanksLikeTheOriginal() throws {
        let source = try TemporaryDirectory(prefix: "xapian")
        let original = try XapianFixture.build(in: source)
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        for school in ["a", "b", "c"] { try writer.addDocuments(from: original, withTerm: "K" + school) }
        try writer.close()
        let copy = try XapianDatabase(path: path)

        let query = XapianQuery.combine(.or, [.term("产"), .term("教"), .term("合作"), .term("融合")])
        let ranked = { (database: XapianDatabase) throws in
            try database.search(query, options: .init()).hits.map { (String(decoding: $0.data, as: UTF8.self), $0.weight) }
        }
        let before = try ranked(original)
        let after = try ranked(copy)
        #expect(before.map(\.0) == after.map(\.0))
        for (a, b) in zip(before, after) { #expect(abs(a.1 - b.1) < 1e-9) }
        for unit in XapianFixture.units {
            let a = try #require(try original.document(uniqueTerm: "Q" + unit.id)).docid
            let b = try #require(try copy.document(uniqueTerm: "Q" + unit.id)).docid
            #expect(try original.terms(ofDocument: a) == copy.terms(ofDocument: b))
        }
    }

    @Test func commitPublishesAndCloseIsIdempotent() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        try writer.add(XapianFixture.document(XapianFixture.units[0]))
        #expect(try writer.documentCount == 1)
        // Nothing is visible to a reader before the commit.
        #expect(try XapianDatabase(path: path).documentCount == 0)
        try writer.commit()
        #expect(try XapianDatabase(path: path).documentCount == 1)
        try writer.add(XapianFixture.document(XapianFixture.units[1]))
        try writer.close()
        try writer.close()
        #expect(try XapianDatabase(path: path).documentCount == 2)
        // Using a closed writer is an error, not a crash.
        #expect(throws: XapianError.self) { try writer.add(XapianDocument()) }
    }

    @Test func deinitClosesAndReleasesTheLock() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        do {
            let writer = try XapianWritableDatabase(creatingAt: path)
            try writer.add(XapianFixture.document(XapianFixture.units[0]))
        }
        #expect(try XapianDatabase(path: path).documentCount == 1)
        let second = try XapianWritableDatabase(creatingAt: path)  // the lock is free again
        try second.close()
    }

    @Test func valuesEncodeNumbersInByteOrder() {
        let years = [1999.0, 2000, 2019, 2023, 2024.5, -1]
        let encoded = years.map(XapianValue.sortable)
        #expect(encoded.map(XapianValue.number(fromSortable:)) == years)
        // Sorting the bytes sorts the numbers.
        let byBytes = zip(years, encoded).sorted { $0.1.lexicographicallyPrecedes($1.1) }.map(\.0)
        #expect(byBytes == years.sorted())
        #expect(XapianValue.multiValue(["a", "b"]) == [0x61, 0x1F, 0x62])
    }
}

// MARK: - Reopening

@Suite struct XapianReopenTests {
    /// A reader two commits behind the writer gets DatabaseModifiedError
    /// from Xapian once it reads a block the writer has reused (here: the
    /// reader has read nothing yet, and each commit rewrites 1,000 units).
    /// The binding reopens and retries, so the search succeeds and sees the
    /// latest revision. Checked: without the retry this search throws.
    @Test func aReaderThatFellBehindReopensAndRetries() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        func unit(_ index: Int, round: Int) -> XapianFixtureUnit {
            XapianFixtureUnit(
                id: "u\(index)", text: "产教融合\(index % 50)第\(round)轮", school: "a", schools: ["a"], year: 2020 + round)
        }
        for index in 0..<1000 { try writer.add(XapianFixture.document(unit(index, round: 0))) }
        try writer.commit()

        let reader = try XapianDatabase(path: path)
        #expect(try reader.documentCount == 1000)

        for round in 1...2 {
            for index in 0..<1000 {
                try writer.replace(uniqueTerm: "Qu\(index)", with: XapianFixture.document(unit(index, round: round)))
            }
            try writer.add(XapianFixture.document(unit(1000 + round, round: round)))
            try writer.commit()
        }
        // The count is cached at open: stale, but no error.
        #expect(try reader.documentCount == 1000)

        var options = XapianSearchOptions()
        options.checkAtLeast = 10_000
        let matches = try reader.search(.term("7"), options: options)
        #expect(matches.estimated == 20)  // u7, u57, … u957
        #expect(try reader.documentCount == 1002)  // reopened at the latest revision
        // Every unit replaced in round 2 says 第2轮, and so does u1002.
        #expect(try reader.termFrequency("2") == 1001)
        try writer.close()
    }
}

extension XapianReopenTests {
    /// Copying from a reader that fell behind: the source is read (and
    /// reopened on DatabaseModifiedError) before anything is added, so the
    /// copy succeeds and the writer keeps what it had. Were the source read
    /// inside add_document, Xapian would discard the whole uncommitted build.
    @Test func copyingFromAReaderThatFellBehindStillWorks() throws {
        let sourceDirectory = try TemporaryDirectory(prefix: "xapian")
        let sourcePath = XapianFixture.path(sourceDirectory)
        let sourceWriter = try XapianWritableDatabase(creatingAt: sourcePath)
        func unit(_ index: Int, round: Int) -> XapianFixtureUnit {
            XapianFixtureUnit(
                id: "u\(index)", text: "校企合作第\(round)轮", school: index < 10 ? "a" : "b", schools: ["a"], year: 2020)
        }
        for index in 0..<1000 { try sourceWriter.add(XapianFixture.document(unit(index, round: 0))) }
        try sourceWriter.commit()
        let stale = try XapianDatabase(path: sourcePath)
        for round in 1...2 {
            for index in 0..<1000 {
                try sourceWriter.replace(uniqueTerm: "Qu\(index)", with: XapianFixture.document(unit(index, round: round)))
            }
            try sourceWriter.commit()
        }
        try sourceWriter.close()

        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        try writer.add(XapianFixture.document(XapianFixture.units[0]))
        #expect(try writer.addDocuments(from: stale, withTerm: "Ka") == 10)
        try writer.close()

        let database = try XapianDatabase(path: path)
        #expect(try database.documentCount == 11)
        #expect(try database.termFrequency("2") == 10)  // the latest revision of the source: 第2轮
    }
}

// MARK: - Errors

@Suite struct XapianErrorTests {
    @Test func openingAMissingDatabaseIsADatabaseOpeningError() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = directory.url.appendingPathComponent("missing").path
        do {
            _ = try XapianDatabase(path: path)
            Issue.record("opened a database that does not exist")
        } catch {
            #expect(error.code == .databaseOpening)
            #expect(error.type == "DatabaseNotFoundError")
            #expect(error.context?.contains(path) == true)
            #expect(error.description.contains("DatabaseNotFoundError"))
        }
    }

    @Test func openingADirectoryThatIsNotADatabaseSaysWhere() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        try directory.write("README", "not a database")
        do {
            _ = try XapianDatabase(path: directory.path)
            Issue.record("opened a directory that is not a database")
        } catch {
            #expect(error.code == .databaseOpening)
            // Xapian's message ("Couldn't detect type of database") has no path: the context does.
            #expect(error.description.contains(directory.path))
        }
    }

    @Test func aSecondWriterGetsALockError() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let first = try XapianWritableDatabase(creatingAt: path)
        do {
            _ = try XapianWritableDatabase(creatingAt: path)
            Issue.record("two writers at once")
        } catch {
            #expect(error.code == .databaseLock)
            #expect(error.type == "DatabaseLockError")
        }
        try first.close()
    }

    /// Xapian refuses terms over 245 bytes inside add_document and then
    /// discards every uncommitted change; the binding refuses the document
    /// first, so the rest of the build survives.
    @Test func aTermLongerThan245BytesIsATypedErrorAndLosesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let path = XapianFixture.path(directory)
        let writer = try XapianWritableDatabase(creatingAt: path)
        try writer.add(XapianFixture.document(XapianFixture.units[0]))

        // 82 CJK characters are 246 bytes.
        let long = String(repeating: "产", count: 82)
        #expect(long.utf8.count == 246)
        let cases: [(String, (XapianDocument) -> Void)] = [
            ("posting", { $0.addPosting(long, position: 1) }),
            ("term", { $0.addTerm(long) }),
            ("boolean term", { $0.addBooleanTerm("Q" + long) }),
            ("empty term", { $0.addTerm("") }),
        ]
        for (name, build) in cases {
            let document = XapianDocument()
            document.addTerm("fine")
            build(document)
            do {
                try writer.add(document)
                Issue.record("\(name): added a document Xapian cannot store")
            } catch {
                #expect(error.code == .invalidArgument, "\(name)")
                #expect(error.isCallerMistake)
            }
        }
        #expect(throws: XapianError.self) { try writer.delete(uniqueTerm: long) }

        // Exactly 245 bytes is allowed.
        let longest = XapianDocument()
        longest.addBooleanTerm("Q" + String(repeating: "a", count: 244))
        try writer.add(longest)
        try writer.close()
        #expect(try XapianDatabase(path: path).documentCount == 2)
    }

    @Test func badSearchArgumentsAreTypedErrors() throws {
        let directory = try TemporaryDirectory(prefix: "xapian")
        let database = try XapianFixture.build(in: directory)
        var options = XapianSearchOptions()
        options.limit = -1
        #expect(throws: XapianError.self) { try database.search(.term("产"), options: options) }
        // A negative scale factor is refused by Xapian itself.
        do {
            _ = try database.search(XapianQuery.term("产").scaled(by: -1), options: .init())
            Issue.record("searched with a negative weight")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.type == "InvalidArgumentError")
        }
        // Numbers that do not fit Xapian's 32-bit counts.
        var huge = XapianSearchOptions()
        huge.checkAtLeast = Int(UInt32.max) + 1
        #expect(throws: XapianError.self) { try database.search(.term("产"), options: huge) }
    }
}
