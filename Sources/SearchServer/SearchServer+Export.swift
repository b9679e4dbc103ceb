import NIOCore
import NIOHTTP1
import SearchIndex

extension SearchServer {
    /// Every matching unit, one JSON object per line, sent in chunks as the
    /// pages come: no page limit, constant memory, and a slow reader only
    /// slows its own export (writes wait for the socket, not a thread).
    /// Pages go through the pool's bulk lane, so exports take turns with
    /// each other and never hold up searches, and each page has the search
    /// time limit.
    func export(_ request: SearchRequest, format: ExportFormat, on eventLoop: EventLoop, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, keepAlive: Bool) async throws -> Bool {
        let timeLimit = configuration.requestTimeLimit
        // One searcher for the whole export, so every page is from one revision.
        let held: SearcherLease
        do {
            held = try await pool.runBulk(timeLimit: timeLimit, on: eventLoop) { SearcherLease(try self.pool.checkOut()) }
        } catch {
            // Nothing sent yet (the index went away since the request was
            // checked): an ordinary error response.
            try await write(error: APIError(any: error), to: outbound, keepAlive: keepAlive)
            return keepAlive
        }
        // A page abandoned at the time limit may still be running on its
        // worker with this searcher: then it is dropped, not checked in.
        var stillInUse = false
        defer { if !stillInUse { pool.checkIn(held.searcher) } }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        headers.add(name: "Transfer-Encoding", value: "chunked")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        if !format.header.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: format.header)))) }
        var page = request
        while true {
            let current = page
            let (bytes, count): ([UInt8], Int)
            do {
                (bytes, count) = try await pool.runBulk(timeLimit: timeLimit, on: eventLoop) {
                    try format.page(current, on: held.searcher)
                }
            } catch {
                if let error = error as? APIError, error.code == .timeout { stillInUse = true }
                // The status line is sent: all we can do is cut the stream
                // short, which a client sees as a missing terminating chunk.
                logger.error("export failed midway", metadata: ["error": "\(error)", "offset": "\(current.offset)"])
                throw error
            }
            if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
            if count < page.limit || page.offset + page.limit > SearchRequest.maximumOffset { break }
            page.offset += page.limit
        }
        try await outbound.write(.end(nil))
        return keepAlive
    }
}
