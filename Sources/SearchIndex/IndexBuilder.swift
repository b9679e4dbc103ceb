import Foundation
import Reports
import TextAnalysis

/// Builds the index of a corpus: every unit of every report in the manifest
/// becomes one Xapian document, in a NEW database directory that replaces
/// the previous one atomically (see `IndexLocation`).
///
/// Incremental: a report whose file did not change since the previous build
/// (and when the gazetteer, synonyms and schema did not change either) is
/// copied from the previous database instead of being parsed and tokenised
/// again; reports no longer in the manifest disappear.
///
/// ```swift
/// let summary = try IndexBuilder(corpus: corpusURL, index: indexURL).build()
/// print(summary.revision, summary.units)
/// ```
public struct IndexBuilder {
    public struct Progress: Sendable {
        public var report: String
        public var index: Int
        public var count: Int
        public var units: Int
        public var reused: Bool
        public var seconds: Double
    }

    public struct Summary: Codable, Sendable {
        public struct Report: Codable, Sendable {
            public var id: String
            public var units: Int
            /// Copied from the previous index, not re-tokenised.
            public var reused: Bool
            public var seconds: Double
            public var warnings: Int
        }

        public var index: String
        public var revision: String
        public var corpusRevision: String
        public var reports: [Report]
        public var units: Int
        public var seconds: Double
        public var bytes: Int
    }

    public let corpusDirectory: URL
    public let indexDirectory: URL
    public let ranking: Ranking

    public init(corpus: URL, index: URL, ranking: Ranking = .default) {
        self.corpusDirectory = corpus
        self.indexDirectory = index
        self.ranking = ranking
    }

    public func build(progress: (Progress) -> Void = { _ in }) throws(SearchError) -> Summary {
        let started = Date()
        do {
            try FileManager.default.createDirectory(at: indexDirectory, withIntermediateDirectories: true)
        } catch {
            throw SearchError(.indexWriteFailed, "cannot create \(indexDirectory.path): \(error.localizedDescription)", context: indexDirectory.path)
        }
        let lock = try IndexLock(directory: indexDirectory)
        defer { withExtendedLifetime(lock) {} }

        let corpus: Corpus
        do {
            corpus = try Corpus(directory: corpusDirectory, displayPath: corpusDirectory.path)
        } catch let error as ReportError {
            throw SearchError(.corpus, error.description, context: error.file)
        } catch {
            throw SearchError(.corpus, "\(error)", context: corpusDirectory.path)
        }
        let (synonyms, synonymBytes) = try SynonymList.load(corpus: corpusDirectory)
        let analyzer: Analyzer
        do {
            analyzer = try Analyzer()
        } catch {
            throw SearchError(.internal, error.description)
        }

        // What every unit depends on besides its report: when this changes,
        // nothing can be reused.
        var inputs = Fingerprint()
        inputs.add(String(IndexSchema.version))
        inputs.add(String(ranking.titleWDF))
        inputs.add((try? Data(contentsOf: corpusDirectory.appendingPathComponent(Corpus.gazetteerName))) ?? Data())
        inputs.add(synonymBytes)
        let previous = PreviousIndex(directory: indexDirectory, inputs: inputs.hex)

        let stamp = Self.timestamp(started)
        let name = "db-\(stamp.compact)-\(getpid())"
        let building = indexDirectory.appendingPathComponent(name + ".tmp")
        let final = indexDirectory.appendingPathComponent(name)
        let writer: XapianWritableDatabase
        do {
            writer = try XapianWritableDatabase(creatingAt: building.path)
        } catch {
            // Xapian may have made the directory before failing (a full
            // disk): remove it so that a retry does not find it there.
            try? FileManager.default.removeItem(at: building)
            throw SearchError(.indexWriteFailed, "cannot create \(building.path): \(error.message)", context: building.path)
        }

        var reports: [IndexedReport] = []
        var summaries: [Summary.Report] = []
        let documents = UnitDocument(terms: TermGenerator(analyzer: analyzer), ranking: ranking)
        // Which reports are unchanged since the previous build (copied from
        // it) and which must be parsed.
        let all = corpus.manifest.reports
        var hashes: [String] = []
        var reusable: [IndexedReport?] = []
        for info in all {
            // A file that is missing or outside the corpus hashes as empty
            // here; parsing it reports the problem.
            let bytes = (try? Data(contentsOf: corpus.fileURL(of: info))) ?? Data()
            let hash = Fingerprint.of(bytes)
            hashes.append(hash)
            reusable.append(previous?.report(info.id, hash: hash))
        }
        let toReuse = reusable
        // Reports are parsed and turned into documents on every core while
        // the single writer (Xapian has one) adds the finished ones in
        // manifest order: parsing and writing overlap.
        let pipeline = PreparationPipeline(
            count: all.count, lookahead: max(2, ProcessInfo.processInfo.activeProcessorCount),
            workers: ProcessInfo.processInfo.activeProcessorCount
        ) { slot in
            toReuse[slot] == nil ? try Self.prepare(all[slot], corpus: corpus, documents: documents) : nil
        }
        defer { pipeline.finish() }
        var revision = Fingerprint()
        revision.add(inputs.hex)
        do {
            for (slot, info) in all.enumerated() {
                let started = Date()
                let prepared = try pipeline.take(slot).get()
                if let previous, let old = reusable[slot] {
                    try writer.addDocuments(from: previous.database, withTerm: IndexSchema.Prefix.report + info.id)
                    reports.append(old)
                    summaries.append(.init(id: info.id, units: old.units, reused: true, seconds: -started.timeIntervalSinceNow, warnings: 0))
                } else if let report = prepared {
                    for document in report.documents { try writer.add(document) }
                    // The hash of the bytes parsed, not of the bytes looked at
                    // above: the file may have changed in between, and a hash
                    // that does not describe the indexed text would let a later
                    // build reuse that text for a file that now differs.
                    hashes[slot] = report.hash
                    reports.append(IndexedReport(id: info.id, title: info.title, year: info.year, hash: report.hash, units: report.documents.count, chapters: report.chapters))
                    summaries.append(.init(id: info.id, units: report.documents.count, reused: false,
                                           seconds: report.seconds - started.timeIntervalSinceNow, warnings: report.warnings))
                }
                let last = summaries[summaries.count - 1]
                progress(Progress(report: info.id, index: slot + 1, count: all.count, units: last.units, reused: last.reused, seconds: last.seconds))
            }
            for (info, hash) in zip(all, hashes) {
                revision.add(info.id)
                revision.add(hash)
            }
            let metadata = IndexMetadata(
                schemaVersion: IndexSchema.version, corpusRevision: revision.hex, builtAt: stamp.iso8601, reports: reports,
                gazetteer: corpus.gazetteer, synonymGroups: synonyms.groups.map(\.terms), documentCount: 0)
            try metadata.write(to: writer)
            try writer.setMetadata(IndexSchema.Metadata.inputs, inputs.hex)
            for group in synonyms.groups {
                let forms = group.terms.map { analyzer.normalize($0).normalized }
                for form in forms {
                    for other in forms where other != form { try writer.addSynonym(form, other) }
                }
            }
            try writer.commit()
            try writer.close()
        } catch let error as SearchError {
            try? writer.close()
            try? FileManager.default.removeItem(at: building)
            throw error
        } catch let error as XapianError {
            try? writer.close()
            try? FileManager.default.removeItem(at: building)
            throw SearchError(.indexWriteFailed, "writing the index failed: \(error.message) (\(error.type))", context: building.path)
        } catch {
            try? writer.close()
            try? FileManager.default.removeItem(at: building)
            throw SearchError(.indexWriteFailed, "writing the index failed: \(error)", context: building.path)
        }

        // A fresh build leaves its tables' blocks part-filled: the served
        // revision is a compacted copy (about a quarter smaller, and faster
        // to read; 2 s for 55,000 units).
        let compacted = indexDirectory.appendingPathComponent(name + ".compact.tmp")
        do {
            try XapianWritableDatabase.compact(building.path, into: compacted.path)
        } catch {
            try? FileManager.default.removeItem(at: compacted)
            try? FileManager.default.removeItem(at: building)
            throw SearchError(.indexWriteFailed, "compacting the index failed: \(error.message) (\(error.type))", context: compacted.path)
        }
        try? FileManager.default.removeItem(at: building)
        try publish(building: compacted, final: final)
        pruneOldRevisions(keeping: [final.lastPathComponent, previous?.revision].compactMap { $0 })
        return Summary(
            index: indexDirectory.path, revision: final.lastPathComponent, corpusRevision: revision.hex, reports: summaries,
            units: summaries.reduce(0) { $0 + $1.units }, seconds: -started.timeIntervalSinceNow,
            bytes: Self.size(of: final))
    }

    // MARK: - Preparing reports

    /// One report parsed and turned into documents, ready for the writer.
    struct PreparedReport {
        var documents: [XapianDocument]
        /// The fingerprint of the file's bytes that were parsed.
        var hash: String
        var chapters: [ChapterRef]
        var warnings: Int
        var seconds: Double
    }

    static func prepare(_ info: ReportInfo, corpus: Corpus, documents: UnitDocument) throws -> PreparedReport {
        let started = Date()
        let parsed: ParsedReport
        let hash: String
        do {
            let data = try corpus.contents(of: info)
            hash = Fingerprint.of(data)
            parsed = try corpus.parse(info, contents: data)
        } catch let error as ReportError {
            throw SearchError(.corpus, error.description, context: error.file)
        }
        let holders = UnitDocument.holders(in: parsed.units)
        let built = try parsed.units.enumerated().map {
            try documents.document(for: $0.element, order: $0.offset, ancestors: UnitDocument.ancestors(of: $0.element, holders: holders))
        }
        let chapters = parsed.units.filter { $0.kind == .section && $0.sectionPath.count == 1 }
            .map { ChapterRef(number: $0.number, title: $0.title) }
        return PreparedReport(documents: built, hash: hash, chapters: chapters, warnings: parsed.warnings.count, seconds: -started.timeIntervalSinceNow)
    }

    // MARK: - Switching revisions

    /// Renames the finished database into place, then points `current` at it
    /// with one rename(2), which replaces the old link atomically.
    private func publish(building: URL, final: URL) throws(SearchError) {
        let fileManager = FileManager.default
        let temporaryLink = indexDirectory.appendingPathComponent("\(IndexLocation.currentLink).\(getpid()).tmp")
        let link = indexDirectory.appendingPathComponent(IndexLocation.currentLink)
        do {
            try fileManager.moveItem(at: building, to: final)
            try? fileManager.removeItem(at: temporaryLink)
            try fileManager.createSymbolicLink(atPath: temporaryLink.path, withDestinationPath: final.lastPathComponent)
        } catch {
            throw SearchError(.indexWriteFailed, "cannot publish the new index: \(error.localizedDescription)", context: final.path)
        }
        guard rename(temporaryLink.path, link.path) == 0 else {
            let reason = String(cString: strerror(errno))
            // A directory where the link belongs is not ours to delete.
            let advice = errno == EISDIR ? "; it is a directory, not anli's link: move it away and run `anli index` again" : ""
            throw SearchError(.indexWriteFailed, "cannot switch \(link.path) to the new index: \(reason)\(advice)", context: link.path)
        }
    }

    /// Removes revisions older than the previous one (a reader may still
    /// have the previous one open) and leftovers of killed builds.
    private func pruneOldRevisions(keeping: [String]) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: indexDirectory.path) else { return }
        for name in names where name.hasPrefix("db-") && !keeping.contains(name) {
            try? fileManager.removeItem(at: indexDirectory.appendingPathComponent(name))
        }
        for name in names where name.hasPrefix("\(IndexLocation.currentLink).") && name.hasSuffix(".tmp") {
            try? fileManager.removeItem(at: indexDirectory.appendingPathComponent(name))
        }
    }

    static func size(of directory: URL) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.fileSizeKey])) ?? []
        return files.reduce(0) { $0 + ((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
    }

    static func timestamp(_ date: Date) -> (compact: String, iso8601: String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS"
        let compact = formatter.string(from: date)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return (compact, formatter.string(from: date))
    }
}

/// Prepares reports on background threads, in manifest order, at most
/// `lookahead` reports ahead of the writer (prepared documents hold a
/// report's whole text), and hands each to the writer when it asks for it.
///
/// Workers claim slots in order after taking a permit, so the slot the
/// writer waits for is always claimed by a worker that can finish it.
/// `finish()` stops the workers (also after a failed build) and waits for
/// them, so no thread outlives the build.
private final class PreparationPipeline: @unchecked Sendable {
    // @unchecked: the mutable state is behind `condition`; each
    // XapianDocument is handed from the thread that built it to the writer,
    // never shared.
    typealias Prepared = IndexBuilder.PreparedReport?
    private let condition = NSCondition()
    private var results: [Result<Prepared, any Error>?]
    private var nextSlot = 0
    private var stopped = false
    private let permits: DispatchSemaphore
    private let lookahead: Int
    private let workers: Int
    private let group = DispatchGroup()

    init(count: Int, lookahead: Int, workers: Int, prepare: @escaping @Sendable (Int) throws -> Prepared) {
        results = Array(repeating: nil, count: count)
        self.lookahead = lookahead
        self.workers = max(1, min(workers, count))
        permits = DispatchSemaphore(value: lookahead)
        for _ in 0..<self.workers {
            DispatchQueue.global().async(group: group) { [self] in
                while true {
                    permits.wait()
                    guard let slot = claim() else { return }
                    let result = Result { try prepare(slot) }
                    condition.lock()
                    results[slot] = result
                    condition.broadcast()
                    condition.unlock()
                }
            }
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, nextSlot < results.count else { return nil }
        defer { nextSlot += 1 }
        return nextSlot
    }

    /// Waits for report `slot` (nil: nothing to prepare, it is reused).
    func take(_ slot: Int) -> Result<Prepared, any Error> {
        condition.lock()
        while results[slot] == nil { condition.wait() }
        let result = results[slot]!
        results[slot] = .success(nil)  // the writer owns the documents now
        condition.unlock()
        permits.signal()
        return result
    }

    func finish() {
        condition.lock()
        stopped = true
        condition.unlock()
        // Wake every worker that may be waiting for a permit.
        for _ in 0..<(workers + lookahead) { permits.signal() }
        group.wait()
    }
}

/// The index a build replaces, opened to copy unchanged reports from.
final class PreviousIndex {
    let database: XapianDatabase
    let revision: String
    private let reports: [String: IndexedReport]

    init?(directory: URL, inputs: String) {
        guard let location = try? IndexLocation.resolve(directory),
              let database = try? XapianDatabase(path: location.database.path),
              (try? database.metadata(IndexSchema.Metadata.inputs)) == inputs,
              let metadata = try? IndexMetadata.read(from: database, path: location.database.path)
        else { return nil }
        self.database = database
        self.revision = location.revision
        self.reports = Dictionary(metadata.reports.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The previous build of this report, if its file is unchanged.
    func report(_ id: String, hash: String) -> IndexedReport? {
        guard let report = reports[id], report.hash == hash else { return nil }
        return report
    }
}
