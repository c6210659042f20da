import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `/v2/positions`: the caller's positions marked by ``PortfolioValuer`` (the one marking rule),
/// and closing them, which submits a market order on the other side through ``OrderService`` like
/// any order; and exercising a long option position early through the expiry job's ledger path
/// (docs/alpaca-api.md, "Positions").
struct AlpacaPositionRoutes {
    let valuer: PortfolioValuer
    let orderRoutes: AlpacaOrderRoutes

    var service: OrderService { orderRoutes.service }
    var orders: OrderStore { orderRoutes.orders }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/positions") { _, context in
            let user = try context.requireUser()
            let held = try await heldForOrders(user)
            let positions = try await valuer.value(userId: user.id).positions
            return AlpacaResponse(.array(positions.map { AlpacaPositionBody.body($0, heldForOrders: held[$0.position.symbol] ?? .zero) }))
        }
        routes.on(.get, "/v2/positions/{symbol_or_asset_id}") { _, context in
            let user = try context.requireUser()
            let marked = try await position(context, user: user)
            let held = try await heldForOrders(user)
            return AlpacaResponse(AlpacaPositionBody.body(marked, heldForOrders: held[marked.position.symbol] ?? .zero))
        }
        routes.on(.delete, "/v2/positions/{symbol_or_asset_id}") { request, context in
            let user = try context.requireUser()
            let marked = try await position(context, user: user)
            let query = AlpacaQuery(request)
            let quantity = try closingQuantity(marked.position, qty: try query.decimal("qty"), percentage: try query.decimal("percentage"))
            return AlpacaResponse(try await orderRoutes.body(try await close(marked.position, quantity: quantity, user: user)))
        }
        routes.on(.post, "/v2/positions/{symbol_or_asset_id}/exercise") { _, context in
            let user = try context.requireUser()
            // The engine checks the session before the position: outside market hours every exercise is refused.
            let key = (context.parameters.get("symbol_or_asset_id") ?? "").uppercased()
            let symbol = UUID(uuidString: key) == nil ? key : try await position(context, user: user).position.symbol
            _ = try await service.exercise(symbol, for: user)
            return AlpacaResponse.emptyOK
        }
        routes.on(.delete, "/v2/positions") { request, context in
            let user = try context.requireUser()
            if try AlpacaQuery(request).bool("cancel_orders") == true { _ = try await orderRoutes.cancelAll(user) }
            var results: [AlpacaValue] = []
            // Shorts first: buying back a short call before selling the long call that covers it
            // never leaves an uncovered position in between.
            let positions = try await valuer.value(userId: user.id).positions
            for marked in positions.filter({ $0.position.side == .short }) + positions.filter({ $0.position.side == .long }) {
                let symbol = AlpacaValue.string(marked.position.symbol)
                do {
                    let order = try await close(marked.position, quantity: marked.position.quantity, user: user)
                    results.append(
                        .object([
                            "symbol": symbol, "status": .int(200),
                            "order_id": .string(AlpacaIdentifier.text(AlpacaIdentifier.uuid(.order, order.id))),
                            "body": try await orderRoutes.body(order),
                        ]))
                } catch let error as TradingError {
                    let failure = AlpacaError.from(error)
                    var body = failure.body
                    if case .object(var fields) = body {
                        fields["symbol"] = symbol
                        body = .object(fields)
                    }
                    results.append(.object(["symbol": symbol, "status": .int(failure.status.code), "body": body]))
                }
            }
            return AlpacaResponse(.array(results), status: .init(code: 207, reasonPhrase: "Multi-Status"))
        }
    }

    /// A market order for `quantity` on the side that reduces the position, submitted like any order.
    func close(_ position: Position, quantity: Decimal6, user: User) async throws -> PaperOrder {
        let order = OrderRequest(
            symbol: position.symbol, side: position.side == .long ? .sell : .buy, quantity: quantity, type: .market, timeInForce: .day)
        switch try await service.submit(order, for: user) {
        case .created(let order), .existing(let order): return order
        }
    }

    /// What to close: `qty`, or `percentage` of the position (whole contracts for options, rounded
    /// down), or all of it.
    func closingQuantity(_ position: Position, qty: Decimal6?, percentage: Decimal6?) throws -> Decimal6 {
        switch (qty, percentage) {
        case (.some, .some):
            throw AlpacaError.validation("send qty or percentage, not both")
        case (.some(let qty), nil):
            guard qty.isPositive else { throw AlpacaError.validation("qty must be greater than 0") }
            guard qty <= position.quantity else {
                throw AlpacaError(
                    .forbidden,
                    "insufficient qty available for order (requested: \(AlpacaFormat.decimal(qty)), available: \(AlpacaFormat.decimal(position.quantity)))",
                    extra: ["available": AlpacaFormat.decimal(position.quantity), "symbol": position.symbol])
            }
            return qty
        case (nil, .some(let percentage)):
            guard percentage.isPositive, percentage <= 100 else {
                throw AlpacaError.validation("percentage must be greater than 0 and at most 100")
            }
            let share = try position.quantity.multiplied(by: percentage, rounding: .down).divided(by: Int64(100), rounding: .down)
            let quantity = position.assetClass == .option ? Decimal6(Int(share.wholePart)) : share
            guard quantity.isPositive else {
                throw AlpacaError.validation(
                    "percentage \(AlpacaFormat.decimal(percentage)) of \(AlpacaFormat.decimal(position.quantity)) is less than one contract"
                )
            }
            return quantity
        case (nil, nil):
            return position.quantity
        }
    }

    /// The position a path names by symbol or asset id; 404 when the user holds none.
    func position(_ context: AppRequestContext, user: User) async throws -> PortfolioValuer.MarkedPosition {
        let key = (context.parameters.get("symbol_or_asset_id") ?? "").uppercased()
        let uuid = UUID(uuidString: key)
        let positions = try await valuer.value(userId: user.id).positions
        guard let marked = positions.first(where: { $0.position.symbol == key || uuid == AlpacaIdentifier.asset($0.position.symbol) })
        else {
            throw AlpacaError.notFound("position does not exist")
        }
        return marked
    }

    /// Per symbol, the quantity open orders would take out of a position (sells of a long, buys of
    /// a short): what `qty_available` leaves out.
    func heldForOrders(_ user: User) async throws -> [String: Decimal6] {
        let open = try await orders.list(
            userId: user.id, filter: OrderStore.Filter(statuses: [.new, .accepted]), limit: 10_000, before: nil, ascending: true)
        let positions = try await valuer.positions.openPositions(userId: user.id)
        var held: [String: Decimal6] = [:]
        for position in positions {
            let closing: OrderSide = position.side == .long ? .sell : .buy
            held[position.symbol] = open.filter { $0.symbol == position.symbol && $0.side == closing }.reduce(.zero) { $0 + $1.quantity }
        }
        return held
    }
}
