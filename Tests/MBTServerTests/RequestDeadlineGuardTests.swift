import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import MBTServer

/// The request deadlines on one connection (docs/operations.md, "Limits"), on NIO's embedded
/// channel with its own clock: a request whose response has not begun within the limit is
/// answered 503 in its API's shape and the connection closed; a response begun in time is left
/// alone, and the read deadline takes over after it.
@Suite("Request deadlines")
struct RequestDeadlineGuardTests {
    static func connection() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: RequestDeadlineGuard(limits: .init(read: .seconds(20), response: .seconds(15))))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static func send(_ path: String, on channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: path)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
    }

    /// The guard's answer: status, headers and body.
    static func answer(on channel: EmbeddedChannel) throws -> (HTTPResponseHead, String)? {
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
        guard case .body(.byteBuffer(let body)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
        return (head, String(buffer: body))
    }

    @Test(arguments: [
        ("/api/trading/orders", #""code":"request_timeout""#),
        ("/v2/orders", #""code":50310000"#),
        ("/trade", "<title>Timed out</title>"),
    ])
    func aRequestNotAnsweredInTimeIsAnswered503InItsShape(path: String, expected: String) throws {
        let channel = try Self.connection()
        try Self.send(path, on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(14))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "nothing before the limit")

        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let (head, body) = try #require(try Self.answer(on: channel))
        #expect(head.status == .serviceUnavailable)
        #expect(head.headers["Retry-After"] == ["1"] && head.headers["Connection"] == ["close"])
        #expect(body.contains(expected), "\(body)")
        #expect(!channel.isActive, "the connection is closed")
    }

    @Test func whatTheHandlerWritesAfterTheTimeoutIsDropped() throws {
        let channel = try Self.connection()
        try Self.send("/api/trading/orders", on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(15))
        _ = try #require(try Self.answer(on: channel))
        _ = try channel.readOutbound(as: HTTPServerResponsePart.self)  // the answer's end
        let late = channel.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .created)))
        #expect(throws: (any Error).self) { try late.wait() }
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
    }

    @Test func aResponseBegunInTimeIsLeftAloneAndTheReadDeadlineFollowsIt() throws {
        let channel = try Self.connection()
        try Self.send("/api/trading/orders", on: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .created)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(channel.isActive, "a slow response that began in time is not cut off")
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("the handler's response went missing")
            return
        }
        #expect(head.status == .created)

        // Kept alive: the next request must arrive within the read limit.
        channel.embeddedEventLoop.advanceTime(by: .seconds(19))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive, "an idle kept-alive connection is closed at the read limit")
    }
}
