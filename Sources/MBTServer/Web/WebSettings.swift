import Foundation
import HTTPTypes
import Hummingbird
import MBTDomain

/// The web app's settings (docs/web-app.md): session lifetimes, the sign-in rate limit and the
/// go-live card's gate.
public struct WebSettings: Sendable {
    /// A session unused this long ends (background refreshes do not count as use).
    public var idleTimeout: TimeInterval = 2 * 3600
    /// A session ends this long after sign-in, however active.
    public var absoluteTimeout: TimeInterval = 12 * 3600
    /// How often a session's last use is written at most (a page load each second would otherwise
    /// write each second).
    public var touchInterval: TimeInterval = 60
    /// Failed sign-ins are counted over this window…
    public var failureWindow: TimeInterval = 15 * 60
    /// …and refused beyond this many for one user name…
    public var maxFailuresPerUser = 5
    /// …or this many from one client address.
    public var maxFailuresPerAddress = 20
    /// Whether the server sits behind a reverse proxy the operator runs (`mbt serve --behind-proxy`):
    /// then the sign-in limit counts the client address the proxy appended to `X-Forwarded-For`
    /// (its last entry) instead of the connection's peer, which is the proxy itself. Off by
    /// default, because without such a proxy anyone could send that header and pick an address.
    public var trustForwardedFor = false
    /// When the portfolio shows the "Ready to go live?" card.
    public var goLive = PaperProfitableGate.standard
    /// Sessions and sign-in limits run on wall-clock time, whatever the market clock says.
    public var now: @Sendable () -> Date = { Date() }

    public init() {}

    /// The client address the sign-in limit counts for this request (see ``trustForwardedFor``).
    func clientAddress(_ request: Request, peer: String) -> String {
        guard trustForwardedFor, let header = request.headers[Self.forwardedFor],
            let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return peer }
        return String(last.prefix(64))
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    public static let standard = WebSettings()
}
