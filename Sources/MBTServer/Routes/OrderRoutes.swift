import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// `/api/trading/orders` and `/api/trading/positions`: submit, list, read, replace and cancel the
/// caller's own orders, and see their positions marked to the market.
struct OrderRoutes {
    let service: OrderService
    let orders: OrderStore
    let valuer: PortfolioValuer

    static let maximumPageSize = 500

    /// The order ticket: field names are the record's column names; decimals are strings. With
    /// `legs` it is a multi-leg ticket (Alpaca's `mleg`): `qty` is the number of units, `limit_price`
    /// the net per unit (a credit negative), and each leg has its own symbol and side.
    enum OrderTicket {
        static let fields: Set<String> = [
            "symbol", "side", "qty", "order_type", "time_in_force", "limit_price", "client_order_id", "legs", "strategy_id",
        ]
        static let legFields: Set<String> = ["symbol", "side", "ratio_qty", "position_intent"]

        enum Ticket {
            case single(OrderRequest)
            case combo(ComboTicket, clientOrderId: String?)
        }

        /// The ticket and the strategy it names.
        static func read(_ request: Request, context: AppRequestContext) async throws -> (Ticket, strategyId: Int64?) {
            let body = try await JSONFields.read(request, context: context, allowed: fields)
            return (try ticket(body), try body.wholeNumber("strategy_id", in: 1...Int.max).map(Int64.init))
        }

        static func ticket(_ body: JSONFields) throws -> Ticket {
            guard body.names.contains("legs") else { return .single(try single(body)) }
            if let field = body.names.intersection(["symbol", "side"]).sorted().first {
                throw APIError.validation("\(field) belongs to each of legs, not to a multi-leg order")
            }
            let legs = try body.required("legs") { try body.objects($0, allowed: legFields) }.map { leg in
                ComboLeg(
                    symbol: try leg.required("symbol", leg.string), side: try leg.required("side") { try leg.choice($0, OrderSide.self) },
                    ratioQty: try leg.wholeNumber("ratio_qty", in: 1...10_000) ?? 1,
                    positionIntent: try leg.required("position_intent") { try leg.choice($0, PositionIntent.self) })
            }
            let ticket = ComboTicket(
                legs: legs, qty: try body.required("qty", body.decimal),
                orderType: try body.required("order_type") { try body.choice($0, OrderType.self) },
                timeInForce: try body.choice("time_in_force", TimeInForce.self) ?? .day, limitPrice: try body.decimal("limit_price"))
            return .combo(ticket, clientOrderId: try body.string("client_order_id"))
        }

        static func single(_ body: JSONFields) throws -> OrderRequest {
            OrderRequest(
                symbol: try body.required("symbol", body.string), side: try body.required("side") { try body.choice($0, OrderSide.self) },
                quantity: try body.required("qty", body.decimal),
                type: try body.required("order_type") { try body.choice($0, OrderType.self) },
                limitPrice: try body.decimal("limit_price"), timeInForce: try body.choice("time_in_force", TimeInForce.self) ?? .day,
                clientOrderId: try body.string("client_order_id"))
        }
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/api/trading/orders") { request, context in
            let user = try context.requireUser()
            let (ticket, strategyId) = try await OrderTicket.read(request, context: context)
            let submission =
                switch ticket {
                case .single(let order): try await service.submit(order, strategyId: strategyId, for: user)
                case .combo(let ticket, let clientOrderId):
                    try await service.submit(ticket, clientOrderId: clientOrderId, strategyId: strategyId, for: user)
                }
            switch submission {
            case .created(let order): return EditedResponse(status: .created, response: try await body(order))
            case .existing(let order): return EditedResponse(status: .ok, response: try await body(order))
            }
        }
        routes.on(.get, "/api/trading/orders") { request, context in
            let user = try context.requireUser()
            let query = request.uri.queryParameters
            let limit = try Self.integer(query.get("limit"), name: "limit", range: 1...Self.maximumPageSize) ?? 100
            let cursor = try Self.integer(query.get("before"), name: "before", range: 1...Int.max).map(Int64.init)
            let filter = OrderStore.Filter(
                status: try query.get("status").map { text in
                    guard let status = OrderStatus(rawValue: text) else {
                        throw APIError.validation("status must be one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return status
                },
                symbol: query.get("symbol")?.uppercased(),
                from: try Self.instant(query.get("from"), name: "from"),
                to: try Self.instant(query.get("to"), name: "to"))
            let page = try await orders.list(userId: user.id, filter: filter, limit: limit, before: cursor)
            let legs = try await orders.legs(of: page.filter { $0.assetClass == .option }.map(\.id))
            return OrderPage(
                orders: page.map { OrderBody($0, legs: legs[$0.id]) }, nextCursor: page.count == limit ? page.last.map { "\($0.id)" } : nil)
        }
        routes.on(.get, "/api/trading/orders/{id}") { _, context in
            let user = try context.requireUser()
            let id = try Self.orderId(context)
            guard let order = try await orders.order(id: id, userId: user.id) else { throw TradingError.orderNotFound(id) }
            return try await body(order)
        }
        routes.on(.patch, "/api/trading/orders/{id}") { request, context in
            let user = try context.requireUser()
            let id = try Self.orderId(context)
            let changes = try await ReplaceTicket.read(request, context: context)
            return OrderBody(try await service.replace(orderId: id, with: changes, for: user))
        }
        routes.on(.delete, "/api/trading/orders/{id}") { _, context in
            let user = try context.requireUser()
            return OrderBody(try await service.cancel(orderId: try Self.orderId(context), for: user))
        }
        routes.on(.get, "/api/trading/positions") { _, context in
            let user = try context.requireUser()
            return PositionsBody(positions: try await valuer.value(userId: user.id).positions.map(PositionBody.init))
        }
    }

    /// The order as the API shows it, a multi-leg order with its legs.
    private func body(_ order: PaperOrder) async throws -> OrderBody {
        guard order.assetClass == .option else { return OrderBody(order) }
        return OrderBody(order, legs: try await orders.legs(of: [order.id])[order.id])
    }

    private static func orderId(_ context: AppRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.notFound("no such order")
        }
        return id
    }

    static func integer(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.validation("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    static func instant(_ text: String?, name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw APIError.validation("\(name) must be an RFC 3339 instant such as 2026-03-20T13:30:00Z")
        }
        return date
    }
}

/// The body of `PATCH /api/trading/orders/{id}`: only `qty`, `limit_price` and `time_in_force` may
/// change. Any other field is refused (422) rather than ignored, so a client that thinks it changed
/// the symbol or side learns at once that it did not.
enum ReplaceTicket {
    static let changeable: Set<String> = ["qty", "limit_price", "time_in_force"]
    /// The ticket's other fields: they make the order what it is.
    static let immutable: Set<String> = ["symbol", "side", "order_type", "client_order_id"]

    static func read(_ request: Request, context: AppRequestContext) async throws -> OrderService.Replacement {
        try replacement(try await JSONFields.read(request, context: context, allowed: changeable.union(immutable)))
    }

    /// The replacement a body asks for (the web app's replace form is read here too).
    static func replacement(_ body: JSONFields) throws -> OrderService.Replacement {
        if let field = body.names.intersection(immutable).sorted().first {
            throw APIError.validation(
                "\(field) cannot be changed by a replace; send only qty, limit_price or time_in_force "
                    + "(to change more, cancel and submit a new order)")
        }
        guard !body.names.isEmpty else { throw APIError.validation("nothing to change; send qty, limit_price or time_in_force") }
        return OrderService.Replacement(
            quantity: try body.decimal("qty"), limitPrice: try body.decimal("limit_price"),
            timeInForce: try body.choice("time_in_force", TimeInForce.self))
    }
}
