internal import CXapian

/// A document being built for `XapianWritableDatabase`. Frees itself.
///
/// The builders do not throw, so that indexing code reads as a list of
/// facts; a term Xapian would refuse (empty, or longer than 245 bytes) is
/// remembered instead, and `add`/`replace` throw it before the database is
/// touched. That matters: Xapian answers a bad term inside `add_document` by
/// discarding every uncommitted change of the build.
///
///     let document = XapianDocument()
///     document.addPosting("产", position: 1)
///     document.addTerm("产教")
///     document.addBooleanTerm("Qunit-42")
///     document.setValue(0, XapianValue.sortable(2023))
///     document.setData(Array(json))
final class XapianDocument {
    let handle: OpaquePointer
    /// The first builder call that failed; thrown by add/replace.
    private(set) var error: XapianError?

    init() {
        var error = cx_error()
        guard let handle = cx_document_new(&error) else {
            // Only std::bad_alloc can get here; Swift itself traps when out of memory.
            fatalError("cx_document_new: \(XapianError(error))")
        }
        self.handle = handle
    }

    deinit {
        cx_document_free(handle)
    }

    /// Adds `term` at `position` (1-based by convention) and raises its wdf.
    func addPosting(_ term: String, position: Int, wdfIncrement: Int = 1) {
        guard let position = convert(position, "position", term), let wdf = convert(wdfIncrement, "wdfIncrement", term)
        else { return }
        var error = cx_error()
        let status = CBytes.with(term) { cx_document_add_posting(handle, $0, $1, position, wdf, &error) }
        record(status, error, term)
    }

    /// Adds `term` without a position (bigrams, which phrases never need).
    func addTerm(_ term: String, wdfIncrement: Int = 1) {
        guard let wdf = convert(wdfIncrement, "wdfIncrement", term) else { return }
        var error = cx_error()
        let status = CBytes.with(term) { cx_document_add_term(handle, $0, $1, wdf, &error) }
        record(status, error, term)
    }

    /// Adds a filter term (wdf 0: it never changes a weight).
    func addBooleanTerm(_ term: String) {
        var error = cx_error()
        let status = CBytes.with(term) { cx_document_add_boolean_term(handle, $0, $1, &error) }
        record(status, error, term)
    }

    /// Sets value slot `slot` (a later call for the same slot replaces it).
    func setValue(_ slot: Int, _ value: [UInt8]) {
        precondition(slot >= 0 && slot < Int(UInt32.max), "value slot \(slot) out of range")
        var error = cx_error()
        let status = CBytes.with(value) { cx_document_add_value(handle, UInt32(slot), $0, $1, &error) }
        record(status, error, nil)
    }

    func setValue(_ slot: Int, _ value: String) {
        setValue(slot, Array(value.utf8))
    }

    /// The document's data: what a hit hands back (`XapianHit.data`).
    func setData(_ data: [UInt8]) {
        var error = cx_error()
        let status = CBytes.with(data) { cx_document_set_data(handle, $0, $1, &error) }
        record(status, error, nil)
    }

    // MARK: - Private

    private func convert(_ value: Int, _ name: String, _ term: String) -> UInt32? {
        if let converted = CBytes.uint32(value) { return converted }
        if error == nil {
            error = .invalidArgument("\(name) \(value) is out of range", context: "term \(term.prefix(40))")
        }
        return nil
    }

    private func record(_ status: Int32, _ cError: cx_error, _ term: String?) {
        guard status != 0, error == nil else { return }
        error = XapianError(cError, context: term.map { "term \($0.prefix(40))…" })
    }
}
