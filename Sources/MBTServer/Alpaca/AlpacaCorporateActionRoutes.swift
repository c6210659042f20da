import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData

/// `GET /v1/corporate-actions` (docs/alpaca-api.md, "Market data"): the cash dividends and splits
/// of MBT's market, the ones the daily jobs apply, in Alpaca's shape. MBT keeps no CUSIPs (`""`),
/// record dates or special/foreign flags (false); the process date is the ex-date. The symbols
/// served are access-logged per user like every market-data read.
struct AlpacaCorporateActionRoutes {
    let marketData: MarketDataService

    static let defaultLimit = 100
    static let maximumLimit = 1_000
    static let maximumDays = 366
    static let types = [
        "cash_dividend", "forward_split", "reverse_split", "unit_split", "stock_dividend", "spin_off", "cash_merger", "stock_merger",
        "stock_and_cash_merger", "redemption", "name_change", "worthless_removal", "rights_distribution",
    ]

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v1/corporate-actions") { request, context in
            let user = try context.requireUser()
            let query = AlpacaQuery(request)
            let today = MarketDate(containing: marketData.clock.now())
            let start = try query.date("start") ?? today
            let end = try query.date("end") ?? start
            guard start <= end else { throw AlpacaError.validation("start must not be after end") }
            guard end.daysSinceEpoch - start.daysSinceEpoch <= Self.maximumDays else {
                throw AlpacaError.validation("range too large: at most \(Self.maximumDays) days per request")
            }
            let types = try query.text("types").map { text in
                try Set(
                    text.split(separator: ",").map { type in
                        guard Self.types.contains(String(type)) else {
                            throw AlpacaError.validation(
                                "types must be among \(Self.types.joined(separator: ", ")) (got \(type.prefix(30)))")
                        }
                        return String(type)
                    })
            }
            let limit = try query.integer("limit", in: 1...Self.maximumLimit) ?? Self.defaultLimit
            let descending = try query.choice("sort", ["asc", "desc"]) == "desc"
            let offset = try query.pageOffset()
            let actions = try await marketData.corporateActions(from: start, through: end, symbols: query.symbols("symbols") ?? [])
                .filter { types?.contains(Self.type(of: $0)) ?? true }
                .sorted { ($0.exDate, $0.symbol, $0.id) < ($1.exDate, $1.symbol, $1.id) }
            let ordered = descending ? Array(actions.reversed()) : actions
            let page = ordered.dropFirst(offset).prefix(limit)
            var groups: [String: [AlpacaValue]] = [:]
            for action in page { groups[Self.type(of: action) + "s", default: []].append(Self.body(action)) }
            await marketData.recordCorporateActionsServed(page.map(\.symbol), for: [user.id])
            let next = offset + page.count < ordered.count ? AlpacaValue.string("\(offset + page.count)") : .null
            return AlpacaResponse(.object(["corporate_actions": .object(groups.mapValues(AlpacaValue.array)), "next_page_token": next]))
        }
    }

    static func type(of action: CorporateAction) -> String {
        switch action {
        case .cashDividend: "cash_dividend"
        case .split(_, _, let newRate, let oldRate, _): newRate >= oldRate ? "forward_split" : "reverse_split"
        }
    }

    static func body(_ action: CorporateAction) -> AlpacaValue {
        let id = AlpacaValue.string(AlpacaIdentifier.text(AlpacaIdentifier.asset("corporate-action:" + action.id)))
        switch action {
        case .cashDividend(_, let symbol, let rate, let exDate, let payableDate):
            return .object([
                "id": id, "symbol": .string(symbol), "cusip": .string(""), "rate": .number(rate), "special": .bool(false),
                "foreign": .bool(false), "process_date": .string(exDate.description), "ex_date": .string(exDate.description),
                "record_date": .null, "payable_date": .string(payableDate?.description),
            ])
        case .split(_, let symbol, let newRate, let oldRate, let exDate):
            var fields: [String: AlpacaValue] = [
                "id": id, "symbol": .string(symbol), "new_rate": .number(newRate), "old_rate": .number(oldRate),
                "process_date": .string(exDate.description), "ex_date": .string(exDate.description), "record_date": .null,
                "payable_date": .null,
            ]
            if newRate >= oldRate {
                fields["cusip"] = .string("")
            } else {
                fields["old_cusip"] = .string("")
                fields["new_cusip"] = .string("")
            }
            return .object(fields)
        }
    }
}
