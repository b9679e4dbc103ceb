internal import CXapian

/// A Xapian query, built bottom-up and immutable once built.
///
///     let phrase = XapianQuery.combine(.phrase, ["产", "教", "融", "合"].enumerated().map {
///         XapianQuery.term($1, position: $0 + 1)
///     })
///     let query = XapianQuery.combine(.filter, [phrase, .term("Kschool-12")])
///
/// Sendable without `@unchecked`: it is a tree of immutable Swift values, not
/// a C++ handle. The C++ `Xapian::Query` is made from the tree inside each
/// `XapianDatabase.search` call and freed before it returns, on the calling
/// thread. Holding C++ queries here instead would not be safe to share:
/// Xapian::Query counts references to its shared internals with a plain
/// `unsigned` (xapian/intrusive_ptr.h), so two threads copying the same query
/// (Enquire::set_query copies) race on the count. Building the C++ tree costs
/// a few allocations per node, nothing next to the search itself.
final class XapianQuery: Sendable, CustomStringConvertible {
    enum Operator: Sendable {
        case and, or, andNot, andMaybe, filter
        /// Sub-queries at consecutive positions within `parameter` (the
        /// window; 0 means the number of sub-queries, i.e. adjacent).
        case phrase
        /// Sub-queries in any order within a window of `parameter` positions.
        case near
        /// Sub-queries weighted as if they were one term.
        case synonym
        /// The `parameter` best sub-queries (0: Xapian's default).
        case eliteSet
        /// The highest-weighted matching sub-query.
        case max

        fileprivate var cValue: Int32 {
            let op: cx_query_op =
                switch self {
                case .and: CX_OP_AND
                case .or: CX_OP_OR
                case .andNot: CX_OP_AND_NOT
                case .andMaybe: CX_OP_AND_MAYBE
                case .filter: CX_OP_FILTER
                case .phrase: CX_OP_PHRASE
                case .near: CX_OP_NEAR
                case .synonym: CX_OP_SYNONYM
                case .eliteSet: CX_OP_ELITE_SET
                case .max: CX_OP_MAX
                }
            return Int32(bitPattern: op.rawValue)
        }
    }

    fileprivate enum Node: Sendable {
        case term(String, wqf: UInt32, position: UInt32)
        case matchAll
        case matchNothing
        case combine(Operator, [XapianQuery], parameter: UInt32)
        case valueRange(slot: UInt32, from: [UInt8], to: [UInt8])
        case scaled(XapianQuery, Double)
        case wildcard(String, maxExpansion: UInt32)
    }

    private let node: Node

    private init(_ node: Node) {
        self.node = node
    }

    /// Documents indexed by `term`. `position` places it for phrase and near
    /// queries. An empty term matches nothing (Xapian would read it as
    /// "match everything", which is never what an empty token means).
    static func term(_ term: String, wqf: Int = 1, position: Int = 0) -> XapianQuery {
        if term.isEmpty { return matchNothing }
        return XapianQuery(.term(term, wqf: UInt32(clamping: wqf), position: UInt32(clamping: position)))
    }

    static var matchAll: XapianQuery { XapianQuery(.matchAll) }
    static var matchNothing: XapianQuery { XapianQuery(.matchNothing) }

    /// `subqueries` joined by `op`; `parameter` is the window of `.phrase`
    /// and `.near`, the size of `.eliteSet`, and ignored otherwise.
    static func combine(_ op: Operator, _ subqueries: [XapianQuery], parameter: Int = 0) -> XapianQuery {
        XapianQuery(.combine(op, subqueries, parameter: UInt32(clamping: parameter)))
    }

    /// Documents indexed by any term that starts with `prefix`, the
    /// `maxExpansion` most frequent of them, weighted as one term.
    static func wildcard(_ prefix: String, maxExpansion: Int) -> XapianQuery {
        XapianQuery(.wildcard(prefix, maxExpansion: UInt32(clamping: maxExpansion)))
    }

    /// Documents whose value in `slot` lies in `from...to` (byte order; see
    /// `XapianValue.sortable`).
    static func valueRange(slot: Int, from: [UInt8], to: [UInt8]) -> XapianQuery {
        precondition(slot >= 0 && slot < Int(UInt32.max), "value slot \(slot) out of range")
        return XapianQuery(.valueRange(slot: UInt32(slot), from: from, to: to))
    }

    /// This query with its weights multiplied by `factor`: 0 makes it a pure
    /// filter; a negative factor is an `invalidArgument` error at search time.
    func scaled(by factor: Double) -> XapianQuery {
        XapianQuery(.scaled(self, factor))
    }

    /// Xapian's own description, e.g. `Query((产 AND 教))`.
    var description: String {
        do throws(XapianError) {
            let handle = try makeHandle()
            defer { cx_query_free(handle) }
            var error = cx_error()
            var length = 0
            guard let text = cx_query_description(handle, &length, &error) else {
                return "Query(<\(XapianError(error))>)"
            }
            defer { cx_string_free(text) }
            return CBytes.string(text, length)
        } catch {
            return "Query(<\(error)>)"
        }
    }

    /// Builds the C++ query; the caller frees it with `cx_query_free` on the
    /// same thread.
    func makeHandle() throws(XapianError) -> OpaquePointer {
        var error = cx_error()
        let handle: OpaquePointer?
        switch node {
        case .term(let term, let wqf, let position):
            handle = CBytes.with(term) { cx_query_term($0, $1, wqf, position, &error) }
        case .matchAll:
            handle = cx_query_match_all(&error)
        case .matchNothing:
            handle = cx_query_match_nothing(&error)
        case .combine(let op, let subqueries, let parameter):
            var handles: [OpaquePointer?] = []
            handles.reserveCapacity(subqueries.count)
            defer { for sub in handles { cx_query_free(sub) } }
            for subquery in subqueries { handles.append(try subquery.makeHandle()) }
            handle = handles.withUnsafeBufferPointer { buffer in
                // cx_query_combine copies the sub-queries; ours are freed above.
                buffer.withMemoryRebound(to: OpaquePointer?.self) {
                    cx_query_combine(op.cValue, $0.baseAddress, $0.count, parameter, &error)
                }
            }
        case .valueRange(let slot, let from, let to):
            handle = CBytes.with(from) { fromPointer, fromLength in
                CBytes.with(to) { cx_query_value_range(slot, fromPointer, fromLength, $0, $1, &error) }
            }
        case .wildcard(let prefix, let maxExpansion):
            handle = CBytes.with(prefix) { cx_query_wildcard($0, $1, maxExpansion, &error) }
        case .scaled(let query, let factor):
            let inner = try query.makeHandle()
            defer { cx_query_free(inner) }
            handle = cx_query_scale_weight(inner, factor, &error)
        }
        guard let handle else { throw XapianError(error, context: "building a query") }
        return handle
    }
}
