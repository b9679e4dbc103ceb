internal import CXapian

/// A reader on a Xapian database.
///
/// Not Sendable: Xapian objects have no locking, so use one per thread (or
/// serialise access). Reads that find the database modified under them
/// (the writer committed twice since this reader's revision) reopen it at the
/// latest revision and retry once; after a directory swap open a new one.
///
///     let database = try XapianDatabase(path: index)
///     var options = XapianSearchOptions()
///     options.checkAtLeast = try database.documentCount   // exact totals and facets
///     let matches = try database.search(.term("产教"), options: options)
final class XapianDatabase {
    let path: String
    let handle: OpaquePointer

    /// - Parameter remoteTimeout: how long a remote shard may take to
    ///   answer one call (and, up to 3 s, to connect).
    init(path: String, remoteTimeout: Duration = .seconds(5)) throws(XapianError) {
        var error = cx_error()
        let milliseconds = remoteTimeout.components.seconds * 1000 + remoteTimeout.components.attoseconds / 1_000_000_000_000_000
        guard let handle = cx_database_open_with_timeout(path, UInt32(clamping: max(1, milliseconds)), &error) else {
            throw XapianError(error, context: "opening \(path)")
        }
        self.path = path
        self.handle = handle
    }

    deinit {
        cx_database_close(handle)
    }

    var documentCount: Int {
        get throws(XapianError) {
            var error = cx_error()
            let count = cx_database_doccount(handle, &error)
            guard count >= 0 else { throw XapianError(error, context: "counting documents in \(path)") }
            return count
        }
    }

    /// How many shards the database joins (1 when it is not sharded).
    var shardCount: Int { cx_database_shard_count(handle) }

    /// User metadata set with `XapianWritableDatabase.setMetadata`; "" if unset.
    func metadata(_ key: String) throws(XapianError) -> String {
        var error = cx_error()
        var length = 0
        let value = CBytes.with(key) { cx_database_get_metadata(handle, $0, $1, &length, &error) }
        guard let value else { throw XapianError(error, context: "reading metadata \(key) from \(path)") }
        defer { cx_string_free(value) }
        return CBytes.string(value, length)
    }

    /// User metadata of shard `shard` alone; "" if unset. (`metadata(_:)`
    /// reads the first shard's.)
    func metadata(_ key: String, shard: Int) throws(XapianError) -> String {
        var error = cx_error()
        var length = 0
        let value = CBytes.with(key) { cx_database_shard_metadata(handle, shard, $0, $1, &length, &error) }
        guard let value else { throw XapianError(error, context: "reading metadata \(key) from shard \(shard) of \(path)") }
        defer { cx_string_free(value) }
        return CBytes.string(value, length)
    }

    /// The number of documents indexed by `term`.
    func termFrequency(_ term: String) throws(XapianError) -> Int {
        var error = cx_error()
        let frequency = CBytes.with(term) { cx_database_termfreq(handle, $0, $1, &error) }
        guard frequency >= 0 else { throw XapianError(error, context: "term frequency of \(term) in \(path)") }
        return frequency
    }

    func synonyms(of term: String) throws(XapianError) -> [String] {
        var error = cx_error()
        let list = CBytes.with(term) { cx_database_synonyms(handle, $0, $1, &error) }
        guard let list else { throw XapianError(error, context: "synonyms of \(term) in \(path)") }
        defer { cx_string_list_free(list) }
        return Self.strings(list)
    }

    /// The first document indexed by `uniqueTerm`, or nil.
    func document(uniqueTerm: String) throws(XapianError) -> (docid: UInt32, data: [UInt8])? {
        var error = cx_error()
        var docid: UInt32 = 0
        var data: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = CBytes.with(uniqueTerm) {
            cx_database_document_by_term(handle, $0, $1, &docid, &data, &length, &error)
        }
        guard status >= 0 else { throw XapianError(error, context: "document \(uniqueTerm) in \(path)") }
        guard status == 1 else { return nil }
        defer { cx_string_free(data) }
        return (docid, CBytes.array(data, length))
    }

    /// What `XapianDocument.setData` stored for a document.
    func data(ofDocument docid: UInt32) throws(XapianError) -> [UInt8] {
        var error = cx_error()
        var data: UnsafeMutablePointer<CChar>?
        var length = 0
        guard cx_database_document_data(handle, docid, &data, &length, &error) == 1 else {
            throw XapianError(error, context: "data of document \(docid) in \(path)")
        }
        defer { cx_string_free(data) }
        return CBytes.array(data, length)
    }

    /// Every term of a document, in byte order (prefixed terms included).
    func terms(ofDocument docid: UInt32) throws(XapianError) -> [String] {
        var error = cx_error()
        guard let list = cx_database_termlist(handle, docid, &error) else {
            throw XapianError(error, context: "terms of document \(docid) in \(path)")
        }
        defer { cx_string_list_free(list) }
        return Self.strings(list)
    }

    /// Runs `query` and copies out the hits, totals and facets.
    func search(_ query: XapianQuery, options: XapianSearchOptions) throws(XapianError) -> XapianMatches {
        var c = cx_search_options()
        cx_search_options_init(&c)
        c.offset = try Self.uint32(options.offset, "offset")
        c.limit = try Self.uint32(options.limit, "limit")
        c.check_at_least = try Self.uint32(options.checkAtLeast, "checkAtLeast")
        switch options.sort {
        case .relevance:
            c.sort = Int32(CX_SORT_RELEVANCE.rawValue)
        case .value(let slot, let descending):
            c.sort = Int32((descending ? CX_SORT_VALUE_DESCENDING : CX_SORT_VALUE_ASCENDING).rawValue)
            c.sort_slot = try Self.uint32(slot, "sort slot")
        case .unranked:
            c.sort = Int32(CX_SORT_UNRANKED.rawValue)
        }
        c.k1 = options.k1
        c.k2 = options.k2
        c.k3 = options.k3
        c.b = options.b
        c.min_normlen = options.minNormLength
        c.include_matching_terms = options.includeMatchingTerms ? 1 : 0
        c.skip_data = options.skipData ? 1 : 0
        var slots: [UInt32] = []
        for slot in options.facetSlots { slots.append(try Self.uint32(slot, "facet slot")) }
        let multiValued: [UInt8] = options.facetSlots.map { options.multiValuedSlots.contains($0) ? 1 : 0 }

        let queryHandle = try query.makeHandle()
        defer { cx_query_free(queryHandle) }
        var error = cx_error()
        let result = slots.withUnsafeBufferPointer { slotBuffer in
            multiValued.withUnsafeBufferPointer { multiBuffer in
                c.facet_slots = slotBuffer.baseAddress
                c.facet_multi_valued = multiBuffer.baseAddress
                c.facet_count = slotBuffer.count
                return cx_database_search(handle, queryHandle, &c, &error)
            }
        }
        guard let result else { throw XapianError(error, context: "searching \(path) for \(query)") }
        defer { cx_matches_free(result) }

        var hits: [XapianHit] = []
        let count = cx_matches_count(result)
        hits.reserveCapacity(count)
        for index in 0..<count {
            var length = 0
            let data = cx_matches_data(result, index, &length)
            var terms: [String] = []
            for termIndex in 0..<cx_matches_term_count(result, index) {
                var termLength = 0
                let term = cx_matches_term(result, index, termIndex, &termLength)
                terms.append(CBytes.string(term, termLength))
            }
            hits.append(
                XapianHit(
                    docid: cx_matches_docid(result, index), weight: cx_matches_weight(result, index),
                    data: CBytes.array(data, length), matchingTerms: terms))
        }
        var facets: [Int: [(value: [UInt8], count: Int)]] = [:]
        for (index, slot) in options.facetSlots.enumerated() {
            var values: [(value: [UInt8], count: Int)] = []
            let size = cx_matches_facet_size(result, index)
            values.reserveCapacity(size)
            for valueIndex in 0..<size {
                var length = 0
                var frequency: UInt32 = 0
                let value = cx_matches_facet_value(result, index, valueIndex, &length, &frequency)
                values.append((CBytes.array(value, length), Int(frequency)))
            }
            facets[slot] = values
        }
        return XapianMatches(
            hits: hits, estimated: Int(cx_matches_estimated(result)),
            lowerBound: Int(cx_matches_lower_bound(result)), upperBound: Int(cx_matches_upper_bound(result)),
            facets: facets)
    }

    /// "More like this": the terms that best characterise the document
    /// indexed by `uniqueTerm`, best first, for the caller to build a query
    /// from. Leaves out prefixed terms, single CJK characters, and CJK bigrams
    /// "ab" whose association termfreq(ab) / min(termfreq(a), termfreq(b)) is
    /// below `minAssociation` (bigrams across a word boundary, such as 建产 in
    /// 新建产业学院). Empty if no document has `uniqueTerm`.
    func expand(uniqueTerm: String, maxTerms: Int, minAssociation: Double) throws(XapianError) -> [(
        term: String, weight: Double
    )] {
        let max = try Self.uint32(maxTerms, "maxTerms")
        var error = cx_error()
        let list = CBytes.with(uniqueTerm) {
            cx_database_expand(handle, $0, $1, max, minAssociation, &error)
        }
        guard let list else { throw XapianError(error, context: "expanding \(uniqueTerm) in \(path)") }
        defer { cx_string_list_free(list) }
        let strings = Self.strings(list)
        return strings.enumerated().map { (term: $1, weight: cx_string_list_weight(list, $0)) }
    }

    // MARK: - Private

    private static func strings(_ list: OpaquePointer) -> [String] {
        (0..<cx_string_list_count(list)).map { index in
            var length = 0
            let item = cx_string_list_get(list, index, &length)
            return CBytes.string(item, length)
        }
    }

    private static func uint32(_ value: Int, _ name: String) throws(XapianError) -> UInt32 {
        guard let converted = CBytes.uint32(value) else {
            throw .invalidArgument("\(name) must be between 0 and \(UInt32.max), not \(value)")
        }
        return converted
    }
}
