import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Wraps the server's channel set-up and puts ``RequestReadGuard`` right after the HTTP decoder,
/// where requests arrive in parts and a malformed or oversized head is reported.
struct RequestReadGuardChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let limit: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestReadGuard(limit: limit), position: .after(decoder))
            return value
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Guards the reading of requests (docs/operations.md, "Limits").
///
/// - A client that opens a connection, or keeps one alive after a response, must send a whole
///   request, head and body, within `limit`, or the connection is closed. Without this a slow
///   sender (a byte every few seconds) holds a connection for as long as it likes, and a thousand
///   of them hold a thousand.
/// - A head the decoder refuses (headers over ``ServerLimits/headers``, or not HTTP) is answered
///   431 or 400 in the API's error shape, and the connection closed.
///
/// Takes itself out of the pipeline when a request asks for an upgrade (the WebSocket stream),
/// whose frames are not HTTP parts.
final class RequestReadGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limit: TimeAmount
    private var deadline: Scheduled<Void>?
    /// Requests whose head arrived and whose response has not ended (a pipelining client sends
    /// the next before the last is answered).
    private var unanswered = 0

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            unanswered += 1
            context.fireChannelRead(data)
            if head.headers.contains(name: "upgrade") { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
        case .body:
            context.fireChannelRead(data)
        case .end:
            disarm()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(unanswered - 1, 0)
            if unanswered == 0 { arm(context) }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        let (status, code, message): (HTTPResponseStatus, String, String) =
            error == .headerOverflow
            ? (.requestHeaderFieldsTooLarge, "headers_too_large", "the request's headers are larger than the server accepts (32 KiB)")
            : (.badRequest, "malformed_request", "the request is not well-formed HTTP/1.1")
        let body = context.channel.allocator.buffer(string: #"{"error":{"code":"\#(code)","message":"\#(message)"}}"#)
        var headers = HTTPHeaders([("Content-Type", "application/json; charset=utf-8"), ("Connection", "close")])
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
