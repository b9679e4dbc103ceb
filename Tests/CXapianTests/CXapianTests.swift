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
}
