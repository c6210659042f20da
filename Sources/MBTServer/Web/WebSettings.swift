import Foundation
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
    /// When the portfolio shows the "Ready to go live?" card.
    public var goLive = PaperProfitableGate.standard
    /// Sessions and sign-in limits run on wall-clock time, whatever the market clock says.
    public var now: @Sendable () -> Date = { Date() }

    public init() {}

    public static let standard = WebSettings()
}
