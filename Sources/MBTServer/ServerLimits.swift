import HummingbirdCore
import HummingbirdWebSocket
import NIOCore

/// The HTTP server's limits on what a client may send (docs/operations.md, "Limits"). Request
/// bodies are capped at 64 KiB by ``AppRequestContext/maxUploadSize``.
public enum ServerLimits {
    /// A connection must deliver a whole request (head and body) within this, counted from its
    /// opening or the last response (``RequestDeadlineGuard``).
    public static let requestRead: TimeAmount = .seconds(20)

    /// A request read whole must have its response begun within this, else it is answered
    /// `503 request_timeout` (``RequestDeadlineGuard``). Above every bound of a request's parts: a
    /// pooled connection (5 s) and an order's group commit (10 s).
    public static let response: TimeAmount = .seconds(15)

    /// Headers: 8 KiB for one field, 32 KiB for all of them, at most 100 fields; a larger head
    /// closes the connection before any handler runs.
    static let headers = HTTP1Channel.Configuration.DecoderConfiguration(
        maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)

    static var channel: HTTP1WebSocketUpgradeChannel.Configuration {
        var http1 = HTTP1Channel.Configuration()
        http1.httpDecoder = headers
        return HTTP1WebSocketUpgradeChannel.Configuration(http1: http1, ws: .init())
    }
}
