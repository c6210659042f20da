import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /api/trading/status`: whether the market is open, what the bar loop is doing, and whether
/// the UI should warn that fills may have been delayed by a catch-up after downtime (docs/fill-rules.md).
struct StatusRoutes {
    let watermarks: BarWatermarkStore
    /// This process's bar loop; `nil` when it runs none (another process may).
    let monitor: BarLoopMonitor?
    let settings: BarLoopSettings
    let clock: any MarketClock
    let calendar: NYSECalendar

    struct StatusResponse: ResponseEncodable {
        let now: Date
        let marketOpen: Bool
        let barLoop: BarLoopBody
        /// The newest minute any engine has walked, over all symbols.
        let lastBarAt: Date?
        /// The longest catch-up of today (bars of one symbol walked after downtime).
        let barsCaughtUp: Int
        /// Symbols caught up today.
        let symbolsCaughtUp: Int
        /// `bars_caught_up` beyond `delayed_fills_banner_bars`: show "some fills may have been delayed".
        let delayedFillsBanner: Bool
        let delayedFillsBannerBars: Int
    }

    struct BarLoopBody: Encodable {
        let running: Bool
        let state: String?
        let lastTickAt: Date?
        let lastBarAt: Date?
        let symbols: Int?
        let lastError: String?
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/trading/status") { _, context in
            _ = try context.requireUser()
            return try await status()
        }
    }

    /// The status, also read by the web pages for their delayed-fills banner.
    func status() async throws -> StatusResponse {
        let now = clock.now()
        let today = try await watermarks.summary(caughtUpSince: MarketDate(containing: now).at(hour: 0, minute: 0))
        return StatusResponse(
            now: now, marketOpen: calendar.isOpen(at: now), barLoop: await barLoop(), lastBarAt: today.lastBarAt,
            barsCaughtUp: today.barsCaughtUp, symbolsCaughtUp: today.symbolsCaughtUp,
            delayedFillsBanner: today.barsCaughtUp > settings.delayedFillsBannerBars,
            delayedFillsBannerBars: settings.delayedFillsBannerBars)
    }

    private func barLoop() async -> BarLoopBody {
        guard let snapshot = await monitor?.current else {
            return BarLoopBody(running: false, state: nil, lastTickAt: nil, lastBarAt: nil, symbols: nil, lastError: nil)
        }
        return BarLoopBody(
            running: true, state: snapshot.state.rawValue, lastTickAt: snapshot.lastTickAt, lastBarAt: snapshot.lastBarAt,
            symbols: snapshot.symbols, lastError: snapshot.lastError)
    }
}
