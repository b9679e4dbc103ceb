// libFuzzer target: any bytes as the query text `q`. tools/fuzz compiles this
// file with Sources/SearchIndex/QuerySyntax.swift and SearchError.swift into
// one module with -sanitize=fuzzer,address. Every string must parse or fail
// with bad_query / unknown_field and the character position; a crash, a hang
// or a sanitizer report is a finding. (The daemon rejects bytes that are not
// UTF-8 before they become a query; here they are repaired as Swift does.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let query = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try QuerySyntax.parse(query)
    } catch {
        precondition([.badQuery, .unknownField].contains(error.code), "unexpected \(error.code): \(error)")
        precondition(!error.message.isEmpty)
    }
    return 0
}
