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

    /// The order ticket: field names are the record's column names; decimals are strings.
    struct OrderTicket: Decodable {
        let symbol: String
        let side: OrderSide
        let qty: Decimal6
        let orderType: OrderType
        let timeInForce: TimeInForce?
        let limitPrice: Decimal6?
        let clientOrderId: String?
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/api/trading/orders") { request, context in
            let user = try context.requireUser()
            let ticket = try await request.decode(as: OrderTicket.self, context: context)
            let orderRequest = OrderRequest(
                symbol: ticket.symbol, side: ticket.side, quantity: ticket.qty, type: ticket.orderType, limitPrice: ticket.limitPrice,
                timeInForce: ticket.timeInForce ?? .day, clientOrderId: ticket.clientOrderId)
            do {
                switch try await service.submit(orderRequest, for: user) {
                case .created(let order): return EditedResponse(status: .created, response: OrderBody(order))
                case .existing(let order): return EditedResponse(status: .ok, response: OrderBody(order))
                }
            } catch let error as TradingError {
                throw Self.apiError(error)
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
            return OrderPage(orders: page.map(OrderBody.init), nextCursor: page.count == limit ? page.last.map { "\($0.id)" } : nil)
        }
        routes.on(.get, "/api/trading/orders/{id}") { _, context in
            let user = try context.requireUser()
            let id = try Self.orderId(context)
            guard let order = try await orders.order(id: id, userId: user.id) else { throw Self.apiError(.orderNotFound(id)) }
            return OrderBody(order)
        }
        routes.on(.patch, "/api/trading/orders/{id}") { request, context in
            let user = try context.requireUser()
            let id = try Self.orderId(context)
            let changes = try await ReplaceTicket.decode(request, context: context)
            do {
                return OrderBody(try await service.replace(orderId: id, with: changes, for: user))
            } catch let error as TradingError {
                throw Self.apiError(error)
            }
        }
        routes.on(.delete, "/api/trading/orders/{id}") { _, context in
            let user = try context.requireUser()
            do {
                return OrderBody(try await service.cancel(orderId: try Self.orderId(context), for: user))
            } catch let error as TradingError {
                throw Self.apiError(error)
            }
        }
        routes.on(.get, "/api/trading/positions") { _, context in
            let user = try context.requireUser()
            return PositionsBody(positions: try await valuer.value(userId: user.id).positions.map(PositionBody.init))
        }
    }

    static func apiError(_ error: TradingError) -> any Error {
        switch error {
        case .invalid(let rejection):
            return APIError(status: .unprocessableContent, code: rejection.code.rawValue, message: rejection.message)
        case .rejected(let order, let rejection):
            return RejectedOrder(order: order, rejection: rejection)
        case .orderNotFound(let id):
            return APIError.notFound("order \(id) not found")
        case .orderNotOpen(let order):
            return APIError.conflict("order \(order.id) is \(order.status.rawValue); only open orders can be canceled or replaced")
        case .ledgerUnavailable(let reason):
            return APIError(
                status: .serviceUnavailable, code: "ledger_unavailable", message: "\(reason); nothing was stored, send the order again",
                headers: [.retryAfter: "1"])
        }
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
struct ReplaceTicket: Decodable {
    static let changeable: Set<String> = ["qty", "limit_price", "time_in_force"]
    /// The ticket's other fields: they make the order what it is.
    static let immutable: Set<String> = ["symbol", "side", "order_type", "client_order_id"]

    let qty: Decimal6?
    let limitPrice: Decimal6?
    let timeInForce: TimeInForce?

    /// Checks the field names on the raw JSON (the typed decoder would silently drop unknown ones),
    /// then decodes the values; malformed JSON or values are a 400, wrong fields a 422.
    static func decode(_ request: Request, context: AppRequestContext) async throws -> OrderService.Replacement {
        let data = Data((try await request.body.collect(upTo: context.maxUploadSize)).readableBytesView)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "the body must be a JSON object")
        }
        if let field = object.keys.sorted().first(where: { !changeable.contains($0) }) {
            let what = immutable.contains(field) ? "\(field) cannot be changed by a replace" : "unknown field \(field)"
            throw APIError.validation(
                "\(what); send only qty, limit_price or time_in_force (to change more, cancel and submit a new order)")
        }
        if let field = object.keys.sorted().first(where: { object[$0] is NSNull }) {
            throw APIError.validation("\(field) must not be null; leave it out to keep the order's value")
        }
        guard !object.isEmpty else { throw APIError.validation("nothing to change; send qty, limit_price or time_in_force") }
        let ticket = try context.requestDecoder.decode(ReplaceTicket.self, from: data)
        return OrderService.Replacement(quantity: ticket.qty, limitPrice: ticket.limitPrice, timeInForce: ticket.timeInForce)
    }
}

/// A refused order: the error shape, plus the stored order so the client sees what was recorded.
struct RejectedOrder: Error, APIErrorResponse {
    let order: PaperOrder
    let rejection: OrderRejection

    var status: HTTPResponse.Status { .unprocessableContent }

    private struct Body: Encodable {
        let error: ErrorBody.Detail
        let order: OrderBody
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try APIJSON.encoder.encode(
            Body(error: .init(code: rejection.code.rawValue, message: rejection.message), order: OrderBody(order)), from: request,
            context: context)
        response.status = status
        return response
    }
}
