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

    public struct Skipped: Codable, Sendable {
        public var id: String
        /// The stable error code (`pdf_encrypted`, `pdf_no_text`, …).
        public var code: String
        /// The error as `file: error: message [code]`.
        public var message: String
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
        /// Reports left out because their PDF cannot be read (encrypted,
        /// scanned, damaged): the others are indexed as usual.
        public var skipped: [Skipped] = []
        public var units: Int
        /// Databases the units were spread over (see `ShardLayout`).
        public var shards: Int
        public var seconds: Double
        public var bytes: Int
    }

    public let corpusDirectory: URL
    public let indexDirectory: URL
    public let ranking: Ranking
    /// How many shards to write (one writer thread each); nil: as many as
    /// `ShardLayout.defaultCount` says for the corpus and the machine.
    public let shards: Int?

    public init(corpus: URL, index: URL, ranking: Ranking = .default, shards: Int? = nil) {
        self.corpusDirectory = corpus
        self.indexDirectory = index
        self.ranking = ranking
        self.shards = shards
    }

    /// Changes a writer buffers before it writes postings to disk (still
    /// unpublished until the build's one commit). Xapian's default is
    /// 10,000; 1,000 built the ×200 corpus in ~20% less time and half the
    /// memory (docs/BENCHMARKS.md), as Xapian's in-memory postings stay small.
    public static let flushThreshold = 1_000

    /// Sets `flushThreshold` for the writers this process creates from now
    /// on, unless XAPIAN_FLUSH_THRESHOLD is set already (the user's choice
    /// wins). Xapian reads it from the environment only, so call this
    /// before other threads start, as `anli index` does first thing.
    public static func configureProcess() throws(SearchError) {
        guard getenv("XAPIAN_FLUSH_THRESHOLD") == nil else { return }
        do {
            try XapianWritableDatabase.setProcessFlushThreshold(flushThreshold)
        } catch {
            throw SearchError(.internal, "cannot set XAPIAN_FLUSH_THRESHOLD: \(error.message)")
        }
    }

    public func build(progress: (Progress) -> Void = { _ in }) throws(SearchError) -> Summary {
        let started = Date()
        let lock = try IndexLock(creating: indexDirectory)
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
        let all = corpus.manifest.reports
        // Which reports are unchanged since the previous build (copied from
        // it) and which must be parsed.
        var hashes: [String] = []
        var reusable: [IndexedReport?] = []
        var corpusBytes = 0
        for info in all {
            // A file that is missing or outside the corpus hashes as empty
            // here; parsing it reports the problem.
            let bytes = (try? Data(contentsOf: corpus.fileURL(of: info))) ?? Data()
            corpusBytes += bytes.count
            let hash = Fingerprint.of(bytes)
            hashes.append(hash)
            reusable.append(previous?.report(info.id, hash: hash))
        }
        let shardCount = min(ShardLayout.maximumShards, max(1, shards ?? ShardLayout.defaultCount(corpusBytes: corpusBytes)))
        // How many units each reused report has in the previous index: the
        // writers deal them out to the shards by position.
        var reusedUnits: [Int?] = Array(repeating: nil, count: all.count)
        if let previous {
            for (slot, report) in reusable.enumerated() where report != nil {
                reusedUnits[slot] = try? previous.database.termFrequency(IndexSchema.Prefix.report + all[slot].id)
                if reusedUnits[slot] == nil { reusable[slot] = nil }
            }
        }

        let writers: [XapianWritableDatabase]
        do {
            if shardCount > 1 { try FileManager.default.createDirectory(at: building, withIntermediateDirectories: false) }
            writers = try ShardLayout.databases(in: building, count: shardCount).map {
                try XapianWritableDatabase(creatingAt: $0.path)
            }
            for (shard, writer) in writers.enumerated() {
                try writer.setMetadata(IndexSchema.Metadata.shard, ShardIdentity(shard: shard, count: shardCount, build: name).text)
            }
        } catch {
            // Xapian may have made the directory before failing (a full
            // disk): remove it so that a retry does not find it there.
            try? FileManager.default.removeItem(at: building)
            let reason = (error as? XapianError)?.message ?? error.localizedDescription
            throw SearchError(.indexWriteFailed, "cannot create \(building.path): \(reason)", context: building.path)
        }

        var reports: [IndexedReport] = []
        var summaries: [Summary.Report] = []
        var skipped: [Skipped] = []
        let documents = UnitDocument(terms: TermGenerator(analyzer: analyzer), ranking: ranking)
        let toReuse = reusable
        // Reports are parsed and turned into documents on every core while
        // the shard writers (Xapian has one per database) add the finished
        // ones in manifest order: parsing and writing overlap, and with
        // several shards, so does the writing.
        let pipeline = PreparationPipeline(
            count: all.count, lookahead: max(2, ProcessInfo.processInfo.activeProcessorCount),
            workers: ProcessInfo.processInfo.activeProcessorCount, consumers: shardCount
        ) { slot in
            toReuse[slot] == nil ? try Self.prepare(all[slot], corpus: corpus, documents: documents) : nil
        }
        defer { pipeline.finish() }
        var revision = Fingerprint()
        revision.add(inputs.hex)
        let fill = ShardFill(
            reportIDs: all.map(\.id), reusedUnits: reusedUnits, previousPath: previous?.database.path, pipeline: pipeline,
            shardCount: shardCount)
        do {
            // Shard 0 is written on this thread, which also keeps the books
            // and reports progress; the others each on a thread of their own.
            let others = fill.start(writers: Array(writers.dropFirst()))
            var reportStarted = Date()
            let firstError: (any Error)?
            do {
                try fill.fill(shard: 0, writer: writers[0], previous: previous?.database) { slot, prepared in
                    let info = all[slot]
                    if let old = reusable[slot] {
                        reports.append(old)
                        summaries.append(.init(id: info.id, units: reusedUnits[slot] ?? old.units, reused: true, seconds: -reportStarted.timeIntervalSinceNow, warnings: 0))
                    } else if let report = prepared, let problem = report.skipped {
                        // Not listed among the indexed reports, and no hash to
                        // reuse: the next build reads the file again.
                        hashes[slot] = ""
                        skipped.append(Skipped(id: info.id, code: problem.code.rawValue, message: problem.description))
                    } else if let report = prepared {
                        // The hash of the bytes parsed, not of the bytes looked at
                        // above: the file may have changed in between, and a hash
                        // that does not describe the indexed text would let a later
                        // build reuse that text for a file that now differs.
                        hashes[slot] = report.hash
                        reports.append(IndexedReport(id: info.id, title: info.title, year: info.year, hash: report.hash, units: report.documents.count, chapters: report.chapters))
                        summaries.append(.init(id: info.id, units: report.documents.count, reused: false,
                                               seconds: report.seconds - reportStarted.timeIntervalSinceNow, warnings: report.warnings))
                    }
                    guard let last = summaries.last, last.id == info.id else { return }
                    progress(Progress(report: info.id, index: slot + 1, count: all.count, units: last.units, reused: last.reused, seconds: last.seconds))
                    reportStarted = Date()
                }
                // Every report left out: publishing an empty index over the
                // previous one would lose it for nothing.
                if reports.isEmpty, !skipped.isEmpty {
                    throw SearchError(.corpus, "no report could be indexed; the previous index is kept:\n" + skipped.map(\.message).joined(separator: "\n"), context: corpusDirectory.path)
                }
                for (info, hash) in zip(all, hashes) {
                    revision.add(info.id)
                    revision.add(hash)
                }
                // The index's own description lives in shard 0: Xapian reads
                // metadata from the first database of several.
                let metadata = IndexMetadata(
                    schemaVersion: IndexSchema.version, corpusRevision: revision.hex, builtAt: stamp.iso8601, reports: reports,
                    gazetteer: corpus.gazetteer, synonymGroups: synonyms.groups.map(\.terms), documentCount: 0)
                try metadata.write(to: writers[0])
                try writers[0].setMetadata(IndexSchema.Metadata.inputs, inputs.hex)
                for group in synonyms.groups {
                    let forms = group.terms.map { analyzer.normalize($0).normalized }
                    for form in forms {
                        for other in forms where other != form { try writers[0].addSynonym(form, other) }
                    }
                }
                try writers[0].close()
                firstError = nil
            } catch {
                pipeline.cancel()
                firstError = error
            }
            // The first failure is the one to report: the others stopped
            // because of it (`Cancelled`).
            let failures = [firstError].compactMap { $0 } + others.wait()
            if let failure = failures.first(where: { !($0 is PreparationPipeline.Cancelled) }) ?? failures.first {
                throw failure
            }
        } catch {
            for writer in writers { try? writer.close() }
            try? FileManager.default.removeItem(at: building)
            switch error {
            case let error as SearchError: throw error
            case let error as XapianError:
                throw SearchError(.indexWriteFailed, "writing the index failed: \(error.message) (\(error.type))", context: building.path)
            default:
                throw SearchError(.indexWriteFailed, "writing the index failed: \(error)", context: building.path)
            }
        }

        // A fresh build leaves its tables' blocks part-filled: the served
        // revision is a compacted copy (about a quarter smaller, and faster
        // to read; 2 s for 55,000 units), the shards compacted side by side.
        let compacted = indexDirectory.appendingPathComponent(name + ".compact.tmp")
        do {
            try Self.compact(building, into: compacted, shards: shardCount)
        } catch {
            try? FileManager.default.removeItem(at: compacted)
            try? FileManager.default.removeItem(at: building)
            throw SearchError(.indexWriteFailed, "compacting the index failed: \(error)", context: compacted.path)
        }
        try? FileManager.default.removeItem(at: building)
        let revisions = RevisionSwitch(indexDirectory: indexDirectory)
        try revisions.publish(building: compacted, final: final)
        revisions.pruneOldRevisions(keeping: [final.lastPathComponent, previous?.revision].compactMap { $0 })
        return Summary(
            index: indexDirectory.path, revision: final.lastPathComponent, corpusRevision: revision.hex, reports: summaries, skipped: skipped,
            units: summaries.reduce(0) { $0 + $1.units }, shards: shardCount, seconds: -started.timeIntervalSinceNow,
            bytes: Self.size(of: final))
    }

    /// Compacts every shard of the finished build at `building` into
    /// `destination` (one thread per shard), and joins them with a stub.
    static func compact(_ building: URL, into destination: URL, shards: Int) throws {
        let sources = ShardLayout.databases(in: building, count: shards)
        let targets = ShardLayout.databases(in: destination, count: shards)
        if shards > 1 { try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false) }
        let failures = FailureList()
        DispatchQueue.concurrentPerform(iterations: shards) { shard in
            do {
                try XapianWritableDatabase.compact(sources[shard].path, into: targets[shard].path)
            } catch {
                failures.append(error)
            }
        }
        if let failure = failures.all.first { throw failure }
        if shards > 1 { try ShardLayout.writeStub(in: destination, count: shards) }
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
        /// Set when the report's PDF cannot be read: it is left out.
        var skipped: ReportError?
    }

    static func prepare(_ info: ReportInfo, corpus: Corpus, documents: UnitDocument) throws -> PreparedReport {
        let started = Date()
        let parsed: ParsedReport
        let hash: String
        do {
            let data = try corpus.contents(of: info)
            hash = Fingerprint.of(data)
            parsed = try corpus.parse(info, contents: data)
        } catch let error as ReportError where error.code.isUnreadablePDF {
            // A folder of downloaded PDFs holds the odd encrypted or scanned
            // one: it is left out with its reason, the others are indexed.
            return PreparedReport(documents: [], hash: "", chapters: [], warnings: 0, seconds: -started.timeIntervalSinceNow, skipped: error)
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

    /// Bytes of the files in `directory` and in its shard directories.
    static func size(of directory: URL) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.fileSizeKey, .isDirectoryKey])) ?? []
        return files.reduce(0) { total, file in
            let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            return total + (values?.isDirectory == true ? size(of: file) : values?.fileSize ?? 0)
        }
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
