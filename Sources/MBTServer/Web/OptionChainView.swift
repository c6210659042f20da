import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage

/// The trade page's options chain (docs/web-app.md): pick an underlying and an expiry, see the
/// calls and puts by strike with bid, ask, mid and delta from ``MarketDataService`` (access-logged
/// for the user like every chain), and trade a contract: its link fills the order ticket.
struct OptionChainView {
    let marketData: MarketDataService
    let calendar: NYSECalendar

    /// How many weekly expiries the picker offers.
    static let expiriesOffered = 8

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    /// One side of a strike's row.
    struct Contract {
        let symbol: String
        let bid: String
        let ask: String
        let mid: String
        let delta: String
        let tradeURL: String
    }

    struct Row {
        let strike: String
        let call: Contract?
        let put: Contract?
    }

    struct Model {
        let underlying: String
        let underlyingError: String?
        let expiries: [Option]
        let shown: Bool
        let rows: [Row]
        let message: String?
    }

    /// The chain of `underlying` (as typed) on `expiry` (`nil`: the first offered), or just the picker.
    func model(underlying text: String?, expiry: String?, for user: User) async throws -> Model {
        let offered = expiries()
        let wanted = expiry.flatMap(MarketDate.init(iso:)) ?? offered.first
        let options = offered.map { Option(value: $0.description, label: Self.label($0), selected: $0 == wanted) }
        let typed = (text ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard !typed.isEmpty else {
            return Model(underlying: "", underlyingError: nil, expiries: options, shown: false, rows: [], message: nil)
        }
        guard case .success(let underlying) = MarketSymbol.normalize(typed), let wanted else {
            return Model(
                underlying: String(typed.prefix(40)), underlyingError: "Underlying must be a stock symbol such as AAPL.", expiries: options,
                shown: false, rows: [], message: nil)
        }
        let chain = try await marketData.optionChain(underlying: underlying, expiry: wanted, for: [user.id])
        let message = chain.isEmpty ? "No \(underlying) options expire on \(Self.label(wanted))." : nil
        return Model(
            underlying: underlying, underlyingError: nil, expiries: options, shown: !chain.isEmpty, rows: Self.rows(chain),
            message: message)
    }

    /// The next weekly expiries: the last trading day of each week (a Friday, or the day before a
    /// holiday Friday), today's included until its close.
    func expiries() -> [MarketDate] {
        let now = marketData.clock.now()
        let today = MarketDate(containing: now)
        let sessions = calendar.sessions(from: today, through: today.adding(days: 7 * (Self.expiriesOffered + 1)))
        var last: [Int: MarketDate] = [:]
        for session in sessions where session.close > now {
            let week = (session.date.daysSinceEpoch - (session.date.weekday - 1)) / 7
            last[week] = max(last[week] ?? session.date, session.date)
        }
        return Array(last.values.sorted().prefix(Self.expiriesOffered))
    }

    static func rows(_ chain: [OptionChainEntry]) -> [Row] {
        let calls = Dictionary(chain.filter { $0.right == .call }.map { ($0.strike, $0) }) { first, _ in first }
        let puts = Dictionary(chain.filter { $0.right == .put }.map { ($0.strike, $0) }) { first, _ in first }
        return Set(calls.keys).union(puts.keys).sorted().map { strike in
            Row(strike: WebFormat.price(strike), call: calls[strike].map(contract), put: puts[strike].map(contract))
        }
    }

    static func contract(_ entry: OptionChainEntry) -> Contract {
        let symbol = entry.symbol.description
        let quote = entry.quote.flatMap { $0.bid.isPositive || $0.ask.isPositive ? $0 : nil }
        return Contract(
            symbol: symbol, bid: quote.map { WebFormat.price($0.bid) } ?? "—", ask: quote.map { WebFormat.price($0.ask) } ?? "—",
            mid: entry.usableMid.map(WebFormat.price) ?? "—",
            delta: entry.delta.map { WebFormat.plain($0.rounded(toPlaces: 2, rule: .toNearestOrAwayFromZero)) } ?? "—",
            tradeURL: "/trade?symbol=" + symbol + "#ticket-heading")
    }

    /// `Fri 2026-03-20`.
    static func label(_ date: MarketDate) -> String {
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.weekday - 1] + " " + date.description
    }
}
