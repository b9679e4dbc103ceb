import CXapian
import Foundation
import Testing

/// The C shim links the real Xapian and turns its exceptions into error codes.
@Suite struct CXapianTests {
    @Test func versionIsXapian14() {
        let version = String(cString: cx_version_string())
        #expect(version.hasPrefix("1.4."), "linked against \(version)")
    }

    @Test func createCommitAndReopen() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cxapian-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var error = cx_error()
        let writer = try #require(cx_writable_database_create(directory.path, &error))
        #expect(error.code == 0)
        #expect(cx_writable_database_commit(writer, &error) == 0)
        #expect(cx_writable_database_close(writer, &error) == 0)

        let reader = try #require(cx_database_open(directory.path, &error))
        defer { cx_database_close(reader) }
        #expect(cx_database_doccount(reader, &error) == 0)
    }

    @Test func openingAMissingDatabaseIsAnErrorNotACrash() {
        var error = cx_error()
        let handle = cx_database_open("/nonexistent/anli/db", &error)
        #expect(handle == nil)
        #expect(Int(error.code) == Int(CX_ERROR_DATABASE_OPENING.rawValue))
        let type = withUnsafeBytes(of: error.type) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        // Xapian names the precise class: DatabaseNotFoundError is a DatabaseOpeningError.
        #expect(type == "DatabaseNotFoundError")
    }

    @Test func aSecondWriterGetsALockError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cxapian-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var error = cx_error()
        let first = try #require(cx_writable_database_create(directory.path, &error))
        defer { _ = cx_writable_database_close(first, &error) }
        var second = cx_error()
        #expect(cx_writable_database_create(directory.path, &second) == nil)
        #expect(Int(second.code) == Int(CX_ERROR_DATABASE_LOCK.rawValue))
    }

    // MARK: - Bytes, queries and results through the C interface

    private func string(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// Terms and data cross as (pointer, length): a NUL byte is just a byte.
    @Test func termsAndDataMayContainNulBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cxapian-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var error = cx_error()
        let writer = try #require(cx_writable_database_create(directory.path, &error))
        let document = try #require(cx_document_new(&error))
        defer { cx_document_free(document) }
        let term: [CChar] = [0x61, 0x00, 0x62]  // "a\0b"
        let data: [CChar] = [0x00, 0x01, 0x00]
        #expect(cx_document_add_posting(document, term, term.count, 1, 1, &error) == 0)
        #expect(cx_document_set_data(document, data, data.count, &error) == 0)
        #expect(cx_writable_database_add_document(writer, document, &error) == 1)
        #expect(cx_writable_database_close(writer, &error) == 0)

        let reader = try #require(cx_database_open(directory.path, &error))
        defer { cx_database_close(reader) }
        #expect(cx_database_termfreq(reader, term, 3, &error) == 1)
        #expect(cx_database_termfreq(reader, term, 1, &error) == 0)  // "a" is another term

        let query = try #require(cx_query_term(term, term.count, 1, 0, &error))
        var options = cx_search_options()
        cx_search_options_init(&options)
        let matches = try #require(cx_database_search(reader, query, &options, &error))
        cx_query_free(query)  // the result owns copies of everything
        defer { cx_matches_free(matches) }
        #expect(cx_matches_count(matches) == 1)
        var length = 0
        let hitData = cx_matches_data(matches, 0, &length)
        #expect(string(hitData, length) == [0, 1, 0])
        // Out of range is NULL / 0, not a crash.
        #expect(cx_matches_data(matches, 5, &length) == nil && length == 0)
        #expect(cx_matches_docid(matches, 5) == 0)
    }

    @Test func searchOptionsDefaults() {
        var options = cx_search_options()
        cx_search_options_init(&options)
        #expect(options.limit == 10 && options.offset == 0 && options.check_at_least == 0)
        #expect(options.k1 == 1.2 && options.k2 == 0 && options.k3 == 1 && options.b == 0.75 && options.min_normlen == 0.5)
        #expect(options.sort == Int32(CX_SORT_RELEVANCE.rawValue) && options.facet_count == 0)
    }

    /// combine copies its sub-queries: freeing them first is fine.
    @Test func combinedQueriesOwnTheirParts() throws {
        var error = cx_error()
        let a = try #require(cx_query_term("产", 3, 1, 1, &error))
        let b = try #require(cx_query_term("教", 3, 1, 2, &error))
        let parts: [OpaquePointer?] = [a, b]
        let phrase = try #require(parts.withUnsafeBufferPointer {
            cx_query_combine(Int32(CX_OP_PHRASE.rawValue), $0.baseAddress, 2, 0, &error)
        })
        cx_query_free(a)
        cx_query_free(b)
        defer { cx_query_free(phrase) }
        var length = 0
        let description = try #require(cx_query_description(phrase, &length, &error))
        defer { cx_string_free(description) }
        #expect(String(cString: description) == "Query((产@1 PHRASE 2 教@2))")

        // An unknown operator is an error, not undefined behaviour.
        #expect(cx_query_combine(99, nil, 0, 0, &error) == nil)
        #expect(Int(error.code) == Int(CX_ERROR_INVALID_ARGUMENT.rawValue))
    }

    /// A NULL handle is the caller's mistake, reported as such.
    @Test func nullHandlesAreErrors() {
        var error = cx_error()
        #expect(cx_database_doccount(nil, &error) == -1)
        #expect(Int(error.code) == Int(CX_ERROR_INVALID_ARGUMENT.rawValue))
        #expect(cx_writable_database_commit(nil, &error) == -1)
        #expect(Int(error.code) == Int(CX_ERROR_INVALID_ARGUMENT.rawValue))
        #expect(cx_string_list_get(nil, 0, nil) == nil)
    }

    @Test func termsLongerThan245BytesAreRefusedByTheDocument() throws {
        var error = cx_error()
        let document = try #require(cx_document_new(&error))
        defer { cx_document_free(document) }
        let long = [CChar](repeating: 0x61, count: Int(cx_max_term_length()) + 1)
        #expect(cx_document_add_term(document, long, long.count, 1, &error) == -1)
        #expect(Int(error.code) == Int(CX_ERROR_INVALID_ARGUMENT.rawValue))
        let type = withUnsafeBytes(of: error.type) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(type == "InvalidArgumentError")
        #expect(cx_document_add_term(document, long, long.count - 1, 1, &error) == 0)
    }
}
