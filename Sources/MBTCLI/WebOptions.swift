import ArgumentParser
import Foundation
import MBTDomain
import MBTServer

/// `mbt serve`'s web app settings (docs/web-app.md): session lifetimes, the sign-in limits, the
/// go-live card's gate, and whether a reverse proxy's `X-Forwarded-For` is trusted.
struct WebOptions: ParsableArguments {
    @Option(help: "Minutes without use after which a web session ends.") var sessionIdleMinutes = 120
    @Option(help: "Hours after sign-in after which a web session ends, however active.") var sessionMaxHours = 12
    @Option(help: "Minutes over which failed sign-ins are counted.") var signInWindowMinutes = 15
    @Option(help: "Failed sign-ins for one user name within the window before sign-in is refused.") var signInFailuresPerUser = 5
    @Option(help: "Failed sign-ins from one client address within the window before sign-in is refused.")
    var signInFailuresPerAddress = 20
    @Option(help: "Trading days of end-of-day snapshots before the 'Ready to go live?' card can show.") var goLiveTradingDays = 20
    @Option(help: "Closed trades before the 'Ready to go live?' card can show.") var goLiveClosedTrades = 10
    @Flag(
        help: """
            The server sits behind a reverse proxy you run, which appends the client's address to X-Forwarded-For: \
            the sign-in limit then counts that address. Leave off otherwise (anyone could send the header).
            """)
    var behindProxy = false

    func validate() throws {
        for (value, name) in [
            (sessionIdleMinutes, "--session-idle-minutes"), (sessionMaxHours, "--session-max-hours"),
            (signInWindowMinutes, "--sign-in-window-minutes"), (signInFailuresPerUser, "--sign-in-failures-per-user"),
            (signInFailuresPerAddress, "--sign-in-failures-per-address"),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        guard goLiveTradingDays >= 0, goLiveClosedTrades >= 0 else {
            throw ValidationError("--go-live-trading-days and --go-live-closed-trades must be 0 or more")
        }
    }

    var settings: WebSettings {
        var settings = WebSettings()
        settings.idleTimeout = TimeInterval(sessionIdleMinutes * 60)
        settings.absoluteTimeout = TimeInterval(sessionMaxHours * 3600)
        settings.failureWindow = TimeInterval(signInWindowMinutes * 60)
        settings.maxFailuresPerUser = signInFailuresPerUser
        settings.maxFailuresPerAddress = signInFailuresPerAddress
        settings.goLive = PaperProfitableGate(minimumTradingDays: goLiveTradingDays, minimumClosedTrades: goLiveClosedTrades)
        settings.trustForwardedFor = behindProxy
        return settings
    }
}
