import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Wraps the server's channel set-up and puts ``RequestDeadlineGuard`` right after the HTTP
/// decoder, where requests arrive in parts and a malformed or oversized head is reported.
struct RequestDeadlineGuardChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let limits: RequestDeadlineGuard.Limits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestDeadlineGuard(limits: limits), position: .after(decoder))
            return value
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Bounds the two waits of a request on its connection (docs/operations.md, "Limits").
///
/// - **Reading.** A client that opens a connection, or keeps one alive after a response, must send
///   a whole request, head and body, within `limits.read`, or the connection is closed. Without
///   this a slow sender (a byte every few seconds) holds a connection for as long as it likes, and
///   a thousand of them hold a thousand.
/// - **Answering.** A request read whole must have its response begun within `limits.response`;
///   else the client is answered `503 request_timeout` (in the API's, the Alpaca API's or the web
///   pages' shape, by path) and the connection closed. Every part of a request has its own bound
///   (a pooled connection, a statement, a group commit), so this is the backstop for a wait
///   nothing else bounds: the client always gets an answer.
/// - A head the decoder refuses (headers over ``ServerLimits/headers``, or not HTTP) is answered
///   431 or 400 in the API's error shape, and the connection closed.
///
/// Takes itself out of the pipeline when a request asks for an upgrade (the WebSocket stream),
/// whose frames are not HTTP parts.
final class RequestDeadlineGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    struct Limits: Sendable {
        var read: TimeAmount
        var response: TimeAmount
    }

    private let limits: Limits
    private var readDeadline: Scheduled<Void>?
    private var responseDeadline: Scheduled<Void>?
    /// The paths of requests whose head arrived and whose response has not ended, oldest first (a
    /// pipelining client sends the next before the last is answered).
    private var unanswered: [String] = []
    /// Whether the oldest unanswered request's response has begun.
    private var responding = false
    /// Set once the guard answered for the handler: what the handler writes later is dropped.
    private var timedOut = false

    init(limits: Limits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armRead(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        armRead(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            unanswered.append(head.uri)
            context.fireChannelRead(data)
            if head.headers.contains(name: "upgrade") { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
        case .body:
            context.fireChannelRead(data)
        case .end:
            readDeadline?.cancel()
            readDeadline = nil
            if responseDeadline == nil && !responding { armResponse(context) }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !timedOut else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head:
            responding = true
            responseDeadline?.cancel()
            responseDeadline = nil
        case .body:
            break
        case .end:
            if !unanswered.isEmpty { unanswered.removeFirst() }
            responding = false
            if unanswered.isEmpty { armRead(context) } else { armResponse(context) }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        let (status, code, message): (HTTPResponseStatus, String, String) =
            error == .headerOverflow
            ? (.requestHeaderFieldsTooLarge, "headers_too_large", "the request's headers are larger than the server accepts (32 KiB)")
            : (.badRequest, "malformed_request", "the request is not well-formed HTTP/1.1")
        answerAndClose(context, status: status, contentType: "application/json; charset=utf-8", body: Self.apiError(code, message))
    }

    /// No response began within the limit: answer for the handler and close the connection.
    private func respondTimedOut(_ context: ChannelHandlerContext) {
        responseDeadline = nil
        guard !responding, let path = unanswered.first else { return }
        let seconds = limits.response.nanoseconds / 1_000_000_000
        let message = "the server did not answer within \(seconds) s; the request may still take effect: send an order again with the same client_order_id, which never creates a second order"
        let (contentType, body): (String, String) =
            if path.hasPrefix("/v2/") || path.hasPrefix("/v1beta") {
                ("application/json; charset=utf-8", #"{"code":50310000,"message":"\#(message)"}"#)
            } else if path.hasPrefix("/api/") {
                ("application/json; charset=utf-8", Self.apiError("request_timeout", message))
            } else {
                ("text/html; charset=utf-8", "<!doctype html><title>Timed out</title><p>The server did not answer in time. Try again.</p>")
            }
        answerAndClose(context, status: .serviceUnavailable, contentType: contentType, body: body, retryAfter: true)
        timedOut = true
    }

    private static func apiError(_ code: String, _ message: String) -> String {
        #"{"error":{"code":"\#(code)","message":"\#(message)"}}"#
    }

    private func answerAndClose(
        _ context: ChannelHandlerContext, status: HTTPResponseStatus, contentType: String, body: String, retryAfter: Bool = false
    ) {
        let buffer = context.channel.allocator.buffer(string: body)
        var headers = HTTPHeaders([("Content-Type", contentType), ("Connection", "close")])
        headers.add(name: "Content-Length", value: "\(buffer.readableBytes)")
        if retryAfter { headers.add(name: "Retry-After", value: "1") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func armRead(_ context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        readDeadline = context.eventLoop.scheduleTask(in: limits.read) { channel.close(promise: nil) }
    }

    private func armResponse(_ context: ChannelHandlerContext) {
        responseDeadline?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        responseDeadline = context.eventLoop.scheduleTask(in: limits.response) {
            let (handler, context) = loopBound.value
            handler.respondTimedOut(context)
        }
    }

    private func disarm() {
        readDeadline?.cancel()
        readDeadline = nil
        responseDeadline?.cancel()
        responseDeadline = nil
    }
}
