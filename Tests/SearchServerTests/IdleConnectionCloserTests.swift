import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SearchServer

/// The idle closer on its own, with the read-timeout events fired by hand.
struct IdleConnectionCloserTests {
    private func connectedChannel(timeout: TimeAmount) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: IdleConnectionCloser(timeout: timeout))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/anli-test.sock")).wait()
        return channel
    }

    // The read timeout counts from the request. When the response took
    // longer, the timeout can fire just as it goes out; closing then cut off
    // clients already sending their next request (64 keep-alive clients
    // under AddressSanitizer: "the server closed the connection before a
    // complete response head").
    @Test func aResponseSlowerThanTheTimeoutLeavesTheClientTimeToAskAgain() throws {
        let channel = try connectedChannel(timeout: .seconds(10))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)  // while answering
        #expect(channel.isActive)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)  // just after
        #expect(channel.isActive, "closed right after the response")
        _ = try channel.finish()
    }

    // A client that stays silent after its response is still dropped.
    @Test func aClientSilentAfterItsResponseIsDropped() throws {
        let channel = try connectedChannel(timeout: .milliseconds(40))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        Thread.sleep(forTimeInterval: 0.05)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)  // else the channel and its pipeline leak
    }

    // A client that connects and sends nothing is dropped at the first timeout.
    @Test func aSilentNewConnectionIsDropped() throws {
        let channel = try connectedChannel(timeout: .seconds(10))
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)  // else the channel and its pipeline leak
    }

    // The decoder passes every byte of a body on, so the read timeout never
    // fires for a client trickling one: the body has the timeout of its head.
    @Test func aBodyTrickledPastTheTimeoutIsDropped() throws {
        let channel = try connectedChannel(timeout: .seconds(10))
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/reload")))
        for second in 1...9 {
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "x")))
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
            #expect(channel.isActive, "closed after \(second) s")
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive, "the body is not complete 10 s after its head")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func aBodyCompleteInTimeIsNotCutOff() throws {
        let channel = try connectedChannel(timeout: .seconds(10))
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/reload")))
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "x")))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        // Answering takes long: the body's limit no longer applies.
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        _ = try channel.finish()
    }
}
