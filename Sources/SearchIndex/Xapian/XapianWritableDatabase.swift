internal import CXapian

/// A database being built. It holds Xapian's write lock until `close()`;
/// `deinit` closes (and so commits) if the caller did not.
///
/// Xapian never commits on its own here: everything added between two
/// `commit()` calls becomes one revision, so a build that ends with `close()`
/// publishes exactly one. If a modifying call fails, Xapian has already
/// discarded the uncommitted changes; later calls, `commit()` and `close()`
/// then throw rather than publish what is left.
///
///     let writer = try XapianWritableDatabase(creatingAt: directory)
///     try writer.add(document)
///     try writer.setMetadata("schema", "3")
///     try writer.close()
final class XapianWritableDatabase {
    let path: String
    private var handle: OpaquePointer?

    /// Creates a database at `path`, replacing one that is already there.
    /// Build into a fresh directory: overwriting a database that a reader has
    /// open breaks that reader.
    init(creatingAt path: String) throws(XapianError) {
        var error = cx_error()
        guard let handle = cx_writable_database_create(path, &error) else {
            throw XapianError(error, context: "creating \(path)")
        }
        self.path = path
        self.handle = handle
    }

    deinit {
        if let handle {
            var ignored = cx_error()
            _ = cx_writable_database_close(handle, &ignored)
        }
    }

    /// Adds `document` and returns its id.
    @discardableResult
    func add(_ document: XapianDocument) throws(XapianError) -> UInt32 {
        let handle = try openHandle()
        if let error = document.error { throw error }
        var error = cx_error()
        let docid = cx_writable_database_add_document(handle, document.handle, &error)
        guard docid != 0 else { throw XapianError(error, context: "adding a document to \(path)") }
        return docid
    }

    /// Replaces the document(s) indexed by `uniqueTerm` with `document`
    /// (which should carry `uniqueTerm` itself), or adds it.
    @discardableResult
    func replace(uniqueTerm: String, with document: XapianDocument) throws(XapianError) -> UInt32 {
        let handle = try openHandle()
        if let error = document.error { throw error }
        var error = cx_error()
        let docid = CBytes.with(uniqueTerm) {
            cx_writable_database_replace_document(handle, $0, $1, document.handle, &error)
        }
        guard docid != 0 else { throw XapianError(error, context: "replacing \(uniqueTerm) in \(path)") }
        return docid
    }

    /// Deletes the document(s) indexed by `uniqueTerm`; none is fine.
    func delete(uniqueTerm: String) throws(XapianError) {
        let handle = try openHandle()
        var error = cx_error()
        let status = CBytes.with(uniqueTerm) { cx_writable_database_delete_document(handle, $0, $1, &error) }
        guard status == 0 else { throw XapianError(error, context: "deleting \(uniqueTerm) in \(path)") }
    }

    func setMetadata(_ key: String, _ value: String) throws(XapianError) {
        let handle = try openHandle()
        var error = cx_error()
        let status = CBytes.with(key) { keyPointer, keyLength in
            CBytes.with(value) { cx_writable_database_set_metadata(handle, keyPointer, keyLength, $0, $1, &error) }
        }
        guard status == 0 else { throw XapianError(error, context: "setting metadata \(key) in \(path)") }
    }

    /// Records `synonym` as a synonym of `term` (both as indexed terms).
    func addSynonym(_ term: String, _ synonym: String) throws(XapianError) {
        let handle = try openHandle()
        var error = cx_error()
        let status = CBytes.with(term) { termPointer, termLength in
            CBytes.with(synonym) { cx_writable_database_add_synonym(handle, termPointer, termLength, $0, $1, &error) }
        }
        guard status == 0 else { throw XapianError(error, context: "adding synonym \(term) → \(synonym) in \(path)") }
    }

    /// Documents including uncommitted ones.
    var documentCount: Int {
        get throws(XapianError) {
            let handle = try openHandle()
            var error = cx_error()
            let count = cx_writable_database_doccount(handle, &error)
            guard count >= 0 else { throw XapianError(error, context: "counting documents in \(path)") }
            return count
        }
    }

    /// Publishes the changes so far as one revision.
    func commit() throws(XapianError) {
        let handle = try openHandle()
        var error = cx_error()
        guard cx_writable_database_commit(handle, &error) == 0 else {
            throw XapianError(error, context: "committing \(path)")
        }
    }

    /// Writes a compacted copy of the (closed) database at `source` to
    /// `destination`.
    static func compact(_ source: String, into destination: String) throws(XapianError) {
        var error = cx_error()
        guard cx_database_compact(source, destination, &error) == 0 else {
            throw XapianError(error, context: "compacting \(source) into \(destination)")
        }
    }

    /// Commits and releases the write lock. A second call does nothing.
    func close() throws(XapianError) {
        guard let handle else { return }
        self.handle = nil
        var error = cx_error()
        guard cx_writable_database_close(handle, &error) == 0 else {
            throw XapianError(error, context: "closing \(path)")
        }
    }

    fileprivate func openHandle() throws(XapianError) -> OpaquePointer {
        guard let handle else {
            throw XapianError(
                code: .database, type: "DatabaseClosedError", message: "the writable database was closed",
                context: path)
        }
        return handle
    }
}

extension XapianWritableDatabase {
    /// Sets how many changes a writer created from now on buffers before
    /// writing postings to disk (still unpublished until `commit()`); nil
    /// restores Xapian's default of 10,000. Process-wide, through the
    /// XAPIAN_FLUSH_THRESHOLD environment variable: call it before other
    /// threads start, e.g. first thing in `anli index`. About 1,000 built
    /// 10,000 small units ~20% faster than the default (see
    /// XapianBenchmarkTests); below 1,000 units it makes no difference.
    static func setProcessFlushThreshold(_ changes: Int?) throws(XapianError) {
        guard let value = CBytes.uint32(changes ?? 0) else {
            throw .invalidArgument("flush threshold \(changes ?? 0) is out of range")
        }
        var error = cx_error()
        guard cx_set_flush_threshold(value, &error) == 0 else { throw XapianError(error) }
    }

    /// Copies documents of `source` indexed by `term` (terms, positions,
    /// values, data), e.g. the units of a report that did not change since
    /// the previous build: of the term's documents in docid order, numbers
    /// `first`, `first + stride`, … (the defaults: all of them). Returns how
    /// many were copied.
    @discardableResult
    func addDocuments(
        from source: XapianDatabase, withTerm term: String, first: Int = 0, stride: Int = 1
    ) throws(XapianError) -> Int {
        let handle = try openHandle()
        guard let first = UInt32(exactly: first), let stride = UInt32(exactly: stride), stride > 0 else {
            throw .invalidArgument("copying documents \(term): first \(first), stride \(stride) out of range")
        }
        var error = cx_error()
        let copied = CBytes.with(term) {
            cx_writable_database_add_documents_from(handle, source.handle, $0, $1, first, stride, &error)
        }
        guard copied >= 0 else {
            throw XapianError(error, context: "copying documents \(term) from \(source.path) to \(path)")
        }
        return copied
    }
}
