import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET /api/trading/activities`: the caller's fills and cash movements in one feed, newest first,
/// so a statement can be read off one list. Paged like the order history (`limit`, `before` from
/// the previous page's `next_cursor`), but with an opaque cursor since two tables are merged.
struct ActivityRoutes {
    let activities: ActivityStore

    static let maximumPageSize = OrderRoutes.maximumPageSize

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/trading/activities") { request, context in
            let user = try context.requireUser()
            let query = request.uri.queryParameters
            let limit = try OrderRoutes.integer(query.get("limit"), name: "limit", range: 1...Self.maximumPageSize) ?? 100
            let cursor = try query.get("before").map { token in
                guard let cursor = ActivityStore.Cursor(token: token) else {
                    throw APIError.validation("before must be the next_cursor of a previous page")
                }
                return cursor
            }
            let filter = ActivityStore.Filter(
                kind: try query.get("type").map { text in
                    guard let kind = ActivityStore.Kind(rawValue: text) else {
                        throw APIError.validation(
                            "type must be one of \(ActivityStore.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return kind
                },
                from: try OrderRoutes.instant(query.get("from"), name: "from"),
                to: try OrderRoutes.instant(query.get("to"), name: "to"))
            let page = try await activities.page(userId: user.id, filter: filter, limit: limit, before: cursor)
            return ActivityPage(
                activities: page.map(ActivityBody.init), nextCursor: page.count == limit ? page.last.map(\.cursor.token) : nil)
        }
    }
}

struct ActivityPage: ResponseEncodable {
    let activities: [ActivityBody]
    /// Pass as `before` for the next (older) page; absent on the last page.
    let nextCursor: String?
}

/// One feed entry, a fill or a cash movement; `activity_type` says which.
enum ActivityBody: Encodable {
    case fill(FillActivityBody)
    case cash(CashActivityBody)

    init(_ activity: ActivityStore.Activity) {
        switch activity {
        case .fill(let fill): self = .fill(FillActivityBody(fill))
        case .cash(let cash): self = .cash(CashActivityBody(cash))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .fill(let body): try body.encode(to: encoder)
        case .cash(let body): try body.encode(to: encoder)
        }
    }
}

/// A fill: which order, what traded at what price, the NBBO at the time and the rule that priced it.
struct FillActivityBody: Encodable {
    let activityType = ActivityStore.Kind.fill.rawValue
    let id: Int64
    let orderId: Int64
    let symbol: String
    let assetClass: AssetClass
    let side: OrderSide
    let qty: Decimal6
    let price: Decimal6
    let fillRule: FillRule?
    let priceSource: FillPriceSource?
    let explanation: String
    let nbboBid: Decimal6?
    let nbboAsk: Decimal6?
    let slippageBasis: Decimal6
    let occurredAt: Date

    init(_ fill: ActivityStore.FillActivity) {
        id = fill.id
        orderId = fill.orderId
        symbol = fill.symbol
        assetClass = fill.assetClass
        side = fill.side
        qty = fill.quantity
        price = fill.price
        fillRule = fill.rule
        priceSource = fill.priceSource
        explanation = fill.explanation
        nbboBid = fill.nbboBid
        nbboAsk = fill.nbboAsk
        slippageBasis = fill.slippageBasis
        occurredAt = fill.occurredAt
    }
}

/// A cash movement other than a fill: its kind, signed amount, symbol where one applies, and why.
struct CashActivityBody: Encodable {
    let activityType = ActivityStore.Kind.cash.rawValue
    let id: Int64
    let kind: String
    let amount: Decimal6
    let symbol: String?
    let description: String
    let occurredAt: Date

    init(_ cash: ActivityStore.CashActivity) {
        id = cash.id
        kind = cash.kind
        amount = cash.amount
        symbol = cash.symbol
        description = cash.description
        occurredAt = cash.occurredAt
    }
}
