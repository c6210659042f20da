import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET /v2/account/activities[/{activity_type}]`: the caller's fills (`FILL`) and cash movements
/// (dividends `DIV`, cash in lieu `CIL`, option cash settlements `OPCSH`, resets `JNLC`, fees `FEE`,
/// adjustments `MISC`) from ``ActivityStore``, as a bare array, newest first, paged as Alpaca pages:
/// `page_size` (at most 100) and `page_token`, the `id` of the last item seen (docs/alpaca-api.md).
/// The fills the expiry and split jobs record are Alpaca's non-trade activities: `OPEXP`, `OPEXC`,
/// `OPASN`, `OPCSH`, `OPTRD` (the shares an exercise or assignment delivers) and `SPLIT`.
struct AlpacaActivityRoutes {
    let activities: ActivityStore

    static let maximumPageSize = 100
    /// Alpaca's activity types for each kind of cash movement MBT records.
    static let cashTypes: [String: String] = [
        "dividend": "DIV", "cash_in_lieu": "CIL", "option_cash_settlement": "OPCSH", "account_reset": "JNLC", "fee": "FEE",
        "adjustment": "MISC",
    ]
    /// The non-trade types MBT records as fills, by the job that wrote them.
    static let fillTypes: Set<String> = ["FILL", "OPEXP", "OPEXC", "OPASN", "OPCSH", "OPTRD", "SPLIT"]
    /// Every type Alpaca lists; types MBT never records answer an empty list, as Alpaca does for an
    /// account without them.
    static let knownTypes: Set<String> = [
        "FILL", "TRANS", "MISC", "ACATC", "ACATS", "CFEE", "CSD", "CSW", "DIV", "DIVCGL", "DIVCGS", "DIVFEE", "DIVFT", "DIVNRA",
        "DIVROC", "DIVTW", "DIVTXEX", "FEE", "INT", "INTNRA", "INTTW", "JNL", "JNLC", "JNLS", "MA", "NC", "OPASN", "OPEXC", "OPEXP",
        "OPTRD", "OPCSH", "OPCA", "PTC", "PTR", "REORG", "SC", "SSO", "SSP", "CIL", "SPLIT",
    ]

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/account/activities") { request, context in
            let user = try context.requireUser()
            let types = try AlpacaQuery(request).symbols("activity_types").map { try Set($0.map(Self.type)) }
            return AlpacaResponse(.array(try await page(request, user: user, types: types)))
        }
        routes.on(.get, "/v2/account/activities/{activity_type}") { request, context in
            let user = try context.requireUser()
            let type = try Self.type(context.parameters.get("activity_type")?.uppercased() ?? "")
            return AlpacaResponse(.array(try await page(request, user: user, types: [type])))
        }
    }

    static func type(_ text: String) throws -> String {
        guard knownTypes.contains(text) else {
            throw AlpacaError.validation("activity type \(text.prefix(20)) is not one of Alpaca's activity types (FILL, DIV, JNLC, …)")
        }
        return text
    }

    func page(_ request: Request, user: User, types: Set<String>?) async throws -> [AlpacaValue] {
        let query = AlpacaQuery(request)
        let pageSize = try query.integer("page_size", in: 1...Self.maximumPageSize) ?? Self.maximumPageSize
        guard try query.choice("direction", ["asc", "desc"]) != "asc" else {
            throw AlpacaError.validation("direction asc is not supported yet; activities are listed newest first")
        }
        var filter = ActivityStore.Filter(from: try query.instant("after"), to: try query.instant("until"))
        if let day = try query.date("date") {
            guard filter.from == nil, filter.to == nil else { throw AlpacaError.validation("send date, or after and until, not both") }
            filter.from = day.at(hour: 0, minute: 0)
            filter.to = day.adding(days: 1).at(hour: 0, minute: 0)
        }
        if let category = try query.choice("category", ["trade_activity", "non_trade_activity"]) {
            filter.kind = category == "trade_activity" ? .fill : .cash
        }
        if let types {
            let wantsFills = !types.intersection(Self.fillTypes).isEmpty
            let wantsCash = !types.subtracting(Self.fillTypes).isEmpty
            if !wantsFills && !wantsCash { return [] }
            if wantsFills != wantsCash { filter.kind = filter.kind ?? (wantsFills ? .fill : .cash) }
        }
        var cursor = try query.text("page_token").map { token in
            guard let separator = token.range(of: "::"), let cursor = ActivityStore.Cursor(token: String(token[separator.upperBound...]))
            else { throw AlpacaError.validation("page_token must be the id of an activity from an earlier page") }
            return cursor
        }
        // Types filter cash movements by kind after the store's page, so read on until the page is full.
        var items: [AlpacaValue] = []
        while items.count < pageSize {
            let batch = try await activities.page(userId: user.id, filter: filter, limit: pageSize, before: cursor)
            for activity in batch where items.count < pageSize {
                let body = Self.body(activity)
                if let types, case .object(let fields) = body, case .string(let type)? = fields["activity_type"], !types.contains(type) {
                    continue
                }
                items.append(body)
            }
            guard batch.count == pageSize, let last = batch.last else { break }
            cursor = last.cursor
        }
        return items
    }

    static func body(_ activity: ActivityStore.Activity) -> AlpacaValue {
        let id = "\(digits(activity))::\(activity.cursor.token)"
        switch activity {
        case .fill(let fill):
            if let type = nonTradeType(fill) { return nonTrade(fill, type: type, id: id) }
            return .object([
                "id": .string(id),
                "activity_type": .string("FILL"),
                "transaction_time": .time(fill.occurredAt),
                "type": .string("fill"),
                "price": .decimal(fill.price),
                "qty": .decimal(fill.quantity),
                "side": .string(fill.side.rawValue),
                "symbol": .string(fill.symbol),
                "leaves_qty": .decimal(Decimal6.zero),
                "cum_qty": .decimal(fill.quantity),
                "order_id": .string(AlpacaIdentifier.text(AlpacaIdentifier.uuid(.order, fill.orderId))),
                "order_status": .string("filled"),
            ])
        case .cash(let cash):
            return .object([
                "id": .string(id),
                "activity_type": .string(cashTypes[cash.kind] ?? "MISC"),
                "date": .string(MarketDate(containing: cash.occurredAt).description),
                "net_amount": .decimal(cash.amount),
                "symbol": .string(cash.symbol),
                "qty": .null,
                "per_share_amount": .null,
                "description": .string(cash.description),
                "status": .string("executed"),
            ])
        }
    }

    /// The non-trade activity a job's fill is, or `nil` for a trade.
    static func nonTradeType(_ fill: ActivityStore.FillActivity) -> String? {
        let option = fill.assetClass == .option
        switch fill.rule {
        case .expiry: return "OPEXP"
        case .exercise: return option ? "OPEXC" : "OPTRD"
        case .assignment: return option ? "OPASN" : "OPTRD"
        case .cashSettlement: return option ? "OPCSH" : "OPTRD"
        case .split: return "SPLIT"
        default: return nil
        }
    }

    /// A job's fill as Alpaca's non-trade activity: `qty` signed (bought positive, sold negative),
    /// `price` per share, `net_amount` the cash it moved.
    static func nonTrade(_ fill: ActivityStore.FillActivity, type: String, id: String) -> AlpacaValue {
        let sign: Int64 = fill.side == .buy ? 1 : -1
        let multiplier = fill.assetClass == .option ? OptionSymbol.contractMultiplier : 1
        let amount = (try? fill.price.multiplied(by: fill.quantity).multiplied(by: -sign * multiplier)) ?? .zero
        let descriptions = [
            "OPEXP": "Option Expiry", "OPEXC": "Option Exercise", "OPASN": "Option Assignment", "OPCSH": "Option Cash Settlement",
            "OPTRD": "Option Trade", "SPLIT": "Stock Split",
        ]
        return .object([
            "id": .string(id),
            "activity_type": .string(type),
            "date": .string(MarketDate(containing: fill.occurredAt).description),
            "net_amount": .decimal(amount),
            "symbol": .string(fill.symbol),
            "qty": .decimal((try? fill.quantity.multiplied(by: sign)) ?? fill.quantity),
            "price": .decimal(fill.price),
            "per_share_amount": .null,
            "description": .string(descriptions[type] ?? type),
            "status": .string("executed"),
        ])
    }

    /// `20260320140000123`: the instant as Alpaca's activity ids begin (UTC, milliseconds).
    static func digits(_ activity: ActivityStore.Activity) -> String {
        let instant =
            switch activity {
            case .fill(let fill): fill.occurredAt
            case .cash(let cash): cash.occurredAt
            }
        return AlpacaFormat.time(instant).filter(\.isNumber).prefix(17).description
    }
}
