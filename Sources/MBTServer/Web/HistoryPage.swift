import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /history`: the user's orders with the API's filters (status, symbol, date range) and its
/// cursor, the tax lots read as `GET /api/trading/tax/lots` reads them, and a year's tax summary
/// as `GET /api/trading/tax/summary` computes it; `GET /history/form-8949.csv` is the API's Form
/// 8949 download for the signed-in user.
struct HistoryPage {
    let orders: OrderStore
    let lots: TaxLotStore
    let strategies: StrategyStore
    let tax: TaxRoutes
    let clock: any MarketClock
    let pages: WebPages

    static let pageSize = 50

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct OrderRow {
        let id: Int64
        let submitted: String
        let symbol: String
        let side: String
        let qty: String
        let orderType: String
        let limitPrice: String
        let fillPrice: String
        let filledAt: String
        let status: String
        let reason: String?
        /// What the order's closing fills realized (tax engine), or `—`.
        let realized: String
        let realizedTone: String
        let strategy: String
    }

    struct LotRow {
        let lotId: String
        let symbol: String
        let side: String
        let status: String
        let qty: String
        let remainingQty: String
        let acquired: String
        let costBasis: String
        let remainingBasis: String
        let lotMethod: String
        let term: String
        let washSale: String?
        let section1256: Bool
        let closed: String?
    }

    struct TaxLine {
        let label: String
        let value: String
        let tone: String
    }

    struct Model {
        let year: Int
        let years: [Option]
        let taxLines: [TaxLine]
        let form8949URL: String
        let statuses: [Option]
        let symbol: String
        let from: String
        let to: String
        let filterError: String?
        let orders: [OrderRow]
        let hasOrders: Bool
        let nextURL: String?
        let firstURL: String?
        let lots: [LotRow]
        let hasLots: Bool
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/history") { request, context -> Response in
            let session = try context.requireSession()
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap { OrderStatus(rawValue: $0) }
            let symbol = query.get("symbol").map { String($0.prefix(40)).uppercased().trimmingCharacters(in: .whitespaces) } ?? ""
            let fromText = query.get("from") ?? ""
            let toText = query.get("to") ?? ""
            let from = MarketDate(iso: fromText)
            let to = MarketDate(iso: toText)
            var filterError: String?
            if !fromText.isEmpty && from == nil || !toText.isEmpty && to == nil {
                filterError = "Dates must be written YYYY-MM-DD, such as 2026-03-18."
            } else if let from, let to, to < from {
                filterError = "The end date must not be before the start date."
            }
            let cursor = query.get("before").flatMap(Int64.init)
            let filter = OrderStore.Filter(
                status: status, symbol: symbol.isEmpty ? nil : symbol, from: from?.at(hour: 0, minute: 0),
                to: to?.adding(days: 1).at(hour: 0, minute: 0))
            let page =
                filterError == nil
                ? try await orders.list(userId: session.user.id, filter: filter, limit: Self.pageSize, before: cursor) : []
            var base = [("status", status?.rawValue ?? ""), ("symbol", symbol), ("from", fromText), ("to", toText)].filter { !$0.1.isEmpty }
            let firstURL = cursor == nil ? nil : Self.url(base)
            var nextURL: String?
            if page.count == Self.pageSize, let last = page.last {
                base.append(("before", "\(last.id)"))
                nextURL = Self.url(base)
            }
            let today = MarketDate(containing: clock.now())
            let lotRows = TaxLotsBody(try await lots.rows(userId: session.user.id), today: today).lots.map(Self.row)
            let year = Self.year(query.get("year"), today: today)
            let summary = try await tax.summary(userId: session.user.id, year: year).total
            let model = Model(
                year: year,
                years: (today.year - 4...today.year).reversed().map { Option(value: "\($0)", label: "\($0)", selected: $0 == year) },
                taxLines: Self.lines(summary), form8949URL: "/history/form-8949.csv?year=\(year)",
                statuses: [Option(value: "", label: "Any status", selected: status == nil)]
                    + OrderStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == status) },
                symbol: symbol, from: fromText, to: toText, filterError: filterError,
                orders: try await rows(page, userId: session.user.id), hasOrders: !page.isEmpty,
                nextURL: nextURL, firstURL: firstURL, lots: lotRows, hasLots: !lotRows.isEmpty)
            return pages.page("history", model, title: "History", session: session, current: "/history")
        }
        group.get("/history/form-8949.csv") { request, context -> Response in
            let session = try context.requireSession()
            let year = Self.year(request.uri.queryParameters.get("year"), today: MarketDate(containing: clock.now()))
            return try await tax.form8949(userId: session.user.id, year: year)
        }
    }

    /// `year=YYYY` when it is one the API accepts, else the current New York year.
    static func year(_ text: String?, today: MarketDate) -> Int {
        text.flatMap { Int($0) }.flatMap { TaxRoutes.years.contains($0) ? $0 : nil } ?? today.year
    }

    static func lines(_ figures: TaxFiguresBody) -> [TaxLine] {
        [
            ("Proceeds", figures.proceeds, false), ("Cost basis", figures.costBasis, false),
            ("Short-term gain", figures.shortTermGain, true),
            ("Long-term gain", figures.longTermGain, true), ("Wash-sale loss disallowed", figures.washSaleDisallowed, false),
            ("Section 1256 gain (60/40)", figures.section1256Gain, true), ("Net gain", figures.netGain, true),
        ].map { label, value, signed in
            TaxLine(
                label: label, value: signed ? WebFormat.signedMoney(value) : WebFormat.money(value),
                tone: signed ? WebFormat.tone(value) : "")
        }
    }

    static func url(_ parameters: [(String, String)]) -> String {
        var components = URLComponents()
        components.path = "/history"
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.string ?? "/history"
    }

    /// The page's orders with what each realized (from the tax engine's dispositions, as the
    /// account's realized P&L) and its strategy's name (a multi-leg order without one: its shape).
    private func rows(_ page: [PaperOrder], userId: Int64) async throws -> [OrderRow] {
        guard !page.isEmpty else { return [] }
        let realized = try await lots.realizedGain(orderIds: page.map(\.id), userId: userId)
        let names = Dictionary(try await strategies.list(userId: userId).map { ($0.id, $0.name) }) { first, _ in first }
        let legs = try await orders.legs(of: page.filter { $0.orderClass == .mleg && $0.strategyId == nil }.map(\.id))
        return page.map { order in
            let strategy = order.strategyId.flatMap { names[$0] } ?? legs[order.id].flatMap { StructureName.of(order, legs: $0.map(\.leg)) }
            return Self.row(order, realized: realized[order.id], strategy: strategy)
        }
    }

    static func row(_ order: PaperOrder, realized: Decimal6? = nil, strategy: String? = nil) -> OrderRow {
        OrderRow(
            id: order.id, submitted: WebFormat.instant(order.submittedAt), symbol: order.symbol, side: order.side.rawValue,
            qty: WebFormat.quantity(order.quantity),
            orderType: order.orderClass == .mleg ? "multi-leg \(order.type.rawValue)" : order.type.rawValue,
            limitPrice: order.limitPrice.map(WebFormat.price) ?? "—", fillPrice: order.fillPrice.map(WebFormat.price) ?? "—",
            filledAt: order.filledAt.map(WebFormat.instant) ?? "", status: order.status.rawValue, reason: order.rejectReason,
            realized: realized.map(WebFormat.signedMoney) ?? "—", realizedTone: realized.map(WebFormat.tone) ?? "",
            strategy: strategy ?? "—")
    }

    static func row(_ lot: TaxLotBody) -> LotRow {
        LotRow(
            lotId: lot.lotId, symbol: lot.symbol, side: lot.side.rawValue, status: lot.status.rawValue, qty: WebFormat.quantity(lot.qty),
            remainingQty: WebFormat.quantity(lot.remainingQty), acquired: lot.acquired.description,
            costBasis: WebFormat.money(lot.costBasis),
            remainingBasis: WebFormat.money(lot.remainingBasis), lotMethod: lot.lotMethod?.rawValue.uppercased() ?? "—",
            term: lot.term.rawValue.replacingOccurrences(of: "_", with: " "),
            washSale: lot.washSaleAdjustment.isZero ? nil : "wash sale: basis \(WebFormat.signedMoney(lot.washSaleAdjustment))",
            section1256: lot.section1256, closed: lot.closed?.description)
    }
}
