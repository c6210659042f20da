import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /portfolio`: the account's figures, its open positions and the equity curve;
/// `GET /portfolio/live` is the part the page script refreshes every 5 s. Every figure comes from
/// the same code as `GET /api/trading/account`, `/positions`, `/account/history` and `/status`.
struct PortfolioPage {
    let account: AccountRoutes
    let status: StatusRoutes
    let snapshots: SnapshotStore
    let lots: TaxLotStore
    let orders: OrderStore
    let strategies: StrategyStore
    let goLive: PaperProfitableGate
    let clock: any MarketClock
    let pages: WebPages

    struct RangeLink {
        let label: String
        let href: String
        let current: Bool
    }

    struct Model {
        let readyToGoLive: Bool
        let live: String
        let liveURL: String
        let ranges: [RangeLink]
    }

    struct PositionRow {
        /// `option` or `leg` (indented under their underlying or structure), `structure`, or `nil`.
        let rowClass: String?
        let symbol: String
        /// For an option, the underlying it is listed under; for a structure, its legs.
        let note: String?
        let side: String
        let qty: String
        let avgCost: String
        let price: String
        let marketValue: String
        let unrealizedPl: String
        let tone: String
    }

    struct Live {
        let cash: String
        let equity: String
        let buyingPower: String
        let reserved: String
        let realizedPl: String
        let unrealizedPl: String
        let totalPl: String
        let totalTone: String
        let dayChange: String
        let dayTone: String
        let startingBalance: String
        let positions: [PositionRow]
        let hasPositions: Bool
        let curve: String
        let rangeLabel: String
        let delayedFills: Bool
        let marketOpen: Bool
        let asOf: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/portfolio") { request, context -> Response in
            let session = try context.requireSession()
            let range = Self.range(request)
            let model = Model(
                readyToGoLive: try await readyToGoLive(session.user),
                live: pages.render("portfolio_live", try await live(session.user, range: range)),
                liveURL: "/portfolio/live?range=\(range.rawValue)",
                ranges: EquityCurve.Range.allCases.map {
                    RangeLink(label: $0.label, href: "/portfolio?range=\($0.rawValue)", current: $0 == range)
                })
            return pages.page("portfolio", model, title: "Portfolio", session: session, current: "/portfolio")
        }
        group.get("/portfolio/live") { request, context -> Response in
            let session = try context.requireSession()
            return pages.fragment("portfolio_live", try await live(session.user, range: Self.range(request)))
        }
    }

    /// Whether the account passes the paper-profitable gate: trading days of snapshots, equity
    /// now against the starting balance, and closed trades (distinct closing fills in the tax rows).
    /// An account reset is a fresh start: only the snapshots from the reset's date on and the
    /// closing fills after it (not the reset's own) count. Read on the full page only, not on
    /// every refresh.
    func readyToGoLive(_ user: User) async throws -> Bool {
        let stored = try await account.accounts.account(ofUser: user.id)
        let today = MarketDate(containing: clock.now())
        let reset = try await account.accounts.sinceLastReset(ofUser: user.id)
        let from = reset.map { MarketDate(containing: $0.at) } ?? EquityCurve.Range.all.start(today: today)
        let days = try await snapshots.history(userId: user.id, from: from, through: today).count
        guard days >= goLive.minimumTradingDays else { return false }
        let valuation = try await account.valuer.value(userId: user.id)
        let closing = Set(try await lots.rows(userId: user.id).dispositions.values.compactMap(\.closeFillId))
        let closedTrades = reset.map { closing.intersection($0.fillIds) }?.count ?? closing.count
        return goLive.passes(
            tradingDays: days, equity: stored.cashBalance + valuation.marketValue, startingBalance: stored.startingBalance,
            closedTrades: closedTrades)
    }

    static func range(_ request: Request) -> EquityCurve.Range {
        request.uri.queryParameters.get("range").flatMap { EquityCurve.Range(rawValue: $0.lowercased()) } ?? .month
    }

    func live(_ user: User, range: EquityCurve.Range) async throws -> Live {
        let stored = try await account.accounts.account(ofUser: user.id)
        let valuation = try await account.valuer.value(userId: user.id)
        let figures = try await account.response(stored, user: user, valuation: valuation)
        let today = MarketDate(containing: clock.now())
        let history = try await snapshots.history(userId: user.id, from: range.start(today: today), through: today)
        let points = EquityCurve.points(snapshots: history.map { ($0.date, $0.equity) }, today: today, liveEquity: figures.equity)
        let curve = EquityCurve(points: points, startingBalance: figures.startingBalance, range: range)
        // The day's change counts from the last close before today (the starting balance before any).
        let previousClose = history.last { $0.date < today }?.equity ?? figures.startingBalance
        let status = try await status.status()
        let total = figures.realizedPl + figures.unrealizedPl
        return Live(
            cash: WebFormat.money(figures.cash), equity: WebFormat.money(figures.equity), buyingPower: WebFormat.money(figures.buyingPower),
            reserved: WebFormat.money(figures.reservedByOpenOrders), realizedPl: WebFormat.signedMoney(figures.realizedPl),
            unrealizedPl: WebFormat.signedMoney(figures.unrealizedPl), totalPl: WebFormat.signedMoney(total),
            totalTone: WebFormat.tone(total),
            dayChange: WebFormat.signedMoney(figures.equity - previousClose), dayTone: WebFormat.tone(figures.equity - previousClose),
            startingBalance: WebFormat.money(figures.startingBalance),
            positions: try await rows(valuation.positions, userId: user.id),
            hasPositions: !valuation.positions.isEmpty, curve: curve.svg, rangeLabel: range.label,
            delayedFills: status.delayedFillsBanner, marketOpen: status.marketOpen, asOf: WebFormat.instant(status.now))
    }

    /// The positions' rows: by underlying, its stock first, then the multi-leg orders still held
    /// whole (one row each, its legs under it), then its other options (``PortfolioStructures``).
    private func rows(_ positions: [PortfolioValuer.MarkedPosition], userId: Int64) async throws -> [PositionRow] {
        guard positions.contains(where: { $0.position.assetClass == .option }) else {
            return PortfolioStructures.groups(positions, orders: [], names: [:]).flatMap { $0.stock.map(Self.row) }
        }
        let filled = try await orders.list(userId: userId, filter: .init(status: .filled), limit: 200, before: nil)
            .filter { $0.orderClass == .mleg }
        let legs = try await orders.legs(of: filled.map(\.id))
        let names = Dictionary(try await strategies.list(userId: userId).map { ($0.id, $0.name) }) { first, _ in first }
        let groups = PortfolioStructures.groups(
            positions, orders: filled.map { ($0, legs[$0.id] ?? []) }, names: names)
        return groups.flatMap { group in
            group.stock.map(Self.row) + group.structures.flatMap(Self.rows) + group.options.map(Self.row)
        }
    }

    static func rows(_ structure: PortfolioStructures.Structure) -> [PositionRow] {
        let value = structure.legs.reduce(Decimal6.zero) { $0 + $1.marketValue }
        let unrealized = structure.legs.reduce(Decimal6.zero) { $0 + $1.unrealizedPnL }
        let header = PositionRow(
            rowClass: "structure", symbol: structure.name, note: "\(structure.legs.count) legs, order \(structure.parent.id)",
            side: structure.parent.side == .sell ? "credit" : "debit", qty: WebFormat.quantity(structure.parent.quantity),
            avgCost: structure.parent.fillPrice.map(WebFormat.price) ?? "—", price: "—", marketValue: WebFormat.money(value),
            unrealizedPl: WebFormat.signedMoney(unrealized), tone: WebFormat.tone(unrealized))
        return [header] + structure.legs.map { row($0, rowClass: "leg", note: nil) }
    }

    static func row(_ marked: PortfolioValuer.MarkedPosition) -> PositionRow {
        let underlying = marked.position.assetClass == .option ? PortfolioStructures.underlying(of: marked.position.symbol) : nil
        return row(marked, rowClass: underlying == nil ? nil : "option", note: underlying.map { "\($0) option" })
    }

    static func row(_ marked: PortfolioValuer.MarkedPosition, rowClass: String?, note: String?) -> PositionRow {
        PositionRow(
            rowClass: rowClass, symbol: marked.position.symbol, note: note, side: marked.position.side.rawValue,
            qty: WebFormat.quantity(marked.position.quantity),
            avgCost: WebFormat.price(marked.position.averageCost), price: marked.mark.map(WebFormat.price) ?? "—",
            marketValue: WebFormat.money(marked.marketValue), unrealizedPl: WebFormat.signedMoney(marked.unrealizedPnL),
            tone: WebFormat.tone(marked.unrealizedPnL))
    }
}
