import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `/v2/orders`: Alpaca's order routes over MBT's one order path (docs/alpaca-api.md). Submit,
/// replace and cancel go through ``OrderService`` (the multi-leg path for `mleg`), so a `/v2` order
/// is a `paper_orders` row like any other, judged by the same rules and written by the ledger's one
/// writer; the reads come from ``OrderStore``.
struct AlpacaOrderRoutes {
    let service: OrderService
    let orders: OrderStore
    var events: OrderEventStore { OrderEventStore(database: orders.database) }

    static let defaultLimit = 50
    static let maximumLimit = 500

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/v2/orders") { request, context in
            let user = try context.requireUser()
            let submission: OrderService.Submission
            switch try AlpacaOrderTicket.read(try await AlpacaFields.read(request, context: context)) {
            case .simple(let order): submission = try await service.submit(order, for: user)
            case .mleg(let ticket, let clientOrderId):
                submission = try await service.submit(ticket, clientOrderId: clientOrderId, for: user)
            }
            switch submission {
            case .created(let order): return AlpacaResponse(try await body(order))
            case .existing: throw AlpacaError.validation("client_order_id must be unique")
            }
        }
        routes.on(.get, "/v2/orders") { request, context in
            let user = try context.requireUser()
            let query = AlpacaQuery(request)
            let status = try query.choice("status", ["open", "closed", "all"]) ?? "open"
            let filter = OrderStore.Filter(
                to: try query.instant("until"), statuses: AlpacaOrderStatus.statuses(forFilter: status), symbols: query.symbols("symbols"),
                side: try query.choice("side", ["buy", "sell"]).flatMap(OrderSide.init(rawValue:)), after: try query.instant("after"))
            _ = try query.bool("nested")
            let limit = try query.integer("limit", in: 1...Self.maximumLimit) ?? Self.defaultLimit
            let ascending = try query.choice("direction", ["asc", "desc"]) == "asc"
            let page = try await orders.list(userId: user.id, filter: filter, limit: limit, before: nil, ascending: ascending)
            return AlpacaResponse(try await bodies(page))
        }
        routes.on(.get, "/v2/orders:by_client_order_id") { request, context in
            let user = try context.requireUser()
            guard let clientOrderId = AlpacaQuery(request).text("client_order_id") else {
                throw AlpacaError.validation("client_order_id is required")
            }
            return AlpacaResponse(try await body(try await order(clientOrderId: clientOrderId, user: user)))
        }
        routes.on(.get, "/v2/orders/{order_id}") { request, context in
            let user = try context.requireUser()
            _ = try AlpacaQuery(request).bool("nested")
            let id = try AlpacaQuery.orderId(context)
            guard let order = try await orders.order(id: id, userId: user.id) else { throw AlpacaError.notFound("order not found") }
            return AlpacaResponse(try await body(order))
        }
        routes.on(.patch, "/v2/orders/{order_id}") { request, context in
            let user = try context.requireUser()
            let id = try AlpacaQuery.orderId(context)
            let changes = try AlpacaOrderTicket.replacement(try await AlpacaFields.read(request, context: context))
            let replacement = try await service.replace(
                orderId: id,
                with: OrderService.Replacement(
                    quantity: changes.quantity, limitPrice: changes.limitPrice, timeInForce: changes.timeInForce),
                for: user)
            return AlpacaResponse(try await body(replacement))
        }
        routes.on(.delete, "/v2/orders/{order_id}") { _, context in
            let user = try context.requireUser()
            _ = try await service.cancel(orderId: try AlpacaQuery.orderId(context), for: user)
            return AlpacaResponse.noContent
        }
        routes.on(.delete, "/v2/orders") { _, context in
            let user = try context.requireUser()
            return AlpacaResponse(.array(try await cancelAll(user)), status: .init(code: 207, reasonPhrase: "Multi-Status"))
        }
    }

    /// Cancels every open order of the user; one item per order, as Alpaca's 207 lists them.
    func cancelAll(_ user: User) async throws -> [AlpacaValue] {
        var results: [AlpacaValue] = []
        let open = try await orders.list(
            userId: user.id, filter: OrderStore.Filter(statuses: [.new, .accepted]), limit: 10_000, before: nil, ascending: true)
        for order in open {
            let id = AlpacaValue.string(AlpacaIdentifier.text(AlpacaIdentifier.uuid(.order, order.id)))
            do {
                _ = try await service.cancel(orderId: order.id, for: user)
                results.append(.object(["id": id, "status": .int(200)]))
            } catch let error as TradingError {
                let failure = AlpacaError.from(error)
                results.append(.object(["id": id, "status": .int(failure.status.code), "body": failure.body]))
            }
        }
        return results
    }

    /// The order a client order id names; an order submitted without one answers to the id `/v2`
    /// showed for it (its UUID).
    func order(clientOrderId: String, user: User) async throws -> PaperOrder {
        let orders = self.orders
        if let order = try await orders.database.withConnection({ db in
            try await orders.order(clientOrderId: clientOrderId, userId: user.id, on: db)
        }) {
            return order
        }
        if let uuid = UUID(uuidString: clientOrderId), let id = AlpacaIdentifier.rowId(uuid, kind: .order),
            let order = try await orders.order(id: id, userId: user.id), order.clientOrderId == nil
        {
            return order
        }
        throw AlpacaError.notFound("order not found")
    }

    /// The order in Alpaca's shape, a multi-leg parent with its legs.
    func body(_ order: PaperOrder) async throws -> AlpacaValue {
        guard case .array(let list) = try await bodies([order]), let body = list.first else { return AlpacaOrderBody.body(order) }
        return body
    }

    /// Orders in Alpaca's shape, multi-leg parents with their legs, closed ones with when they closed.
    func bodies(_ page: [PaperOrder]) async throws -> AlpacaValue {
        guard let first = page.first else { return .array([]) }
        let legs = try await orders.legs(of: page.filter { $0.assetClass == .option && $0.parentOrderId == nil }.map(\.id))
        let closed = page.filter { $0.status == .canceled || $0.status == .expired }
        let closings = try await events.closings(
            userId: first.userId, orderIds: closed.map(\.id), since: closed.map(\.submittedAt).min() ?? first.submittedAt)
        return .array(page.map { AlpacaOrderBody.body($0, legs: legs[$0.id], closedAt: closings[$0.id]) })
    }
}
