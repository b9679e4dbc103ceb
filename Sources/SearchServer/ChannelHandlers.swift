import NIOCore
import NIOHTTP1

/// Answers a request the HTTP decoder rejects (a head over the size limit:
/// 431; anything malformed: 400) with a JSON error, then lets the decoder
/// close the connection. NIO's `HTTPServerProtocolErrorHandler` does the same
/// with an empty 400 for every case.
final class ProtocolErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false
    private let headLimit: Int

    init(headLimit: Int) { self.headLimit = headLimit }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responseInProgress {
            let apiError = parserError == .headerOverflow
                ? APIError(.headersTooLarge, "the request line and headers are larger than \(headLimit) bytes; send a long query as a JSON body with POST (docs/API.md)", status: .requestHeaderFieldsTooLarge)
                : parserError == .invalidURL
                ? APIError(.badRequest, "invalid request target: percent-encode spaces and non-ASCII characters (e.g. q=%E4%BA%A7%E6%95%99, or curl -G --data-urlencode 'q=产教')", status: .badRequest)
                : APIError(.badRequest, "malformed HTTP request (\(parserError))", status: .badRequest)
            let body = SearchAPI.errorBody(apiError)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.count))
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: apiError.status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responseInProgress = true
        case .end: responseInProgress = false
        default: break
        }
        context.write(data, promise: promise)
    }
}

/// Closes a connection that stays silent for the read timeout while the
/// server waits for it: one that connected and sent nothing, sent half a
/// request, or sits idle between keep-alive requests. A connection whose
/// request is being answered is left alone (its response may take a while).
///
/// Placed after the HTTP decoder, so a client trickling the bytes of an
/// endless head (slowloris) counts as silent too. A body is different: the
/// decoder passes on every byte of it, so a client trickling a body would
/// never look silent. Hence the second limit: a request's body must be
/// complete within the timeout of its head.
final class IdleConnectionCloser: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    private var requestsAwaitingResponse = 0
    /// When the last response ended (before the first one, the read
    /// timeout alone decides).
    private var respondedAt = NIODeadline.distantPast

    /// - Parameter timeout: the `IdleStateHandler`'s read timeout before it.
    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Closes the connection unless the request whose head came last is
    /// complete by then.
    private var bodyDeadline: Scheduled<Void>?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            let channel = context.channel
            bodyDeadline?.cancel()
            bodyDeadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        case .body:
            break
        case .end:
            bodyDeadline?.cancel()
            bodyDeadline = nil
            requestsAwaitingResponse += 1
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        bodyDeadline?.cancel()
        bodyDeadline = nil
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsAwaitingResponse = max(0, requestsAwaitingResponse - 1)
            if requestsAwaitingResponse == 0 { respondedAt = .now() }
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // The read timeout counts from the last read, i.e. the request:
            // after a response slower than the timeout it can fire just as
            // the response went out, and closing then cuts off a client that
            // is sending its next request (seen with 64 keep-alive clients
            // on a loaded machine). So the client also gets at least half the
            // timeout after the response (the handler fires again later).
            let sinceResponse = NIODeadline.now() - respondedAt
            if requestsAwaitingResponse == 0, sinceResponse.nanoseconds >= timeout.nanoseconds / 2 {
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Closes a connection whose client stopped reading: once the answer waiting
/// to be written passes NIO's high-water mark the channel turns unwritable,
/// and if it stays so for the timeout the connection is closed. Without this
/// a client that starts an export and never reads holds its connection, and
/// the export its searcher, for ever; the idle timeout does not apply while
/// an answer is being sent.
final class StalledReaderCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            deadline?.cancel()
            deadline = nil
        } else if deadline == nil {
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
