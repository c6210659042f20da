/// Checks that an order request means something tradable before any account or market data is
/// consulted: symbol syntax, quantity, limit price and time in force.
///
/// Each check is its own function returning the first problem it finds, so a rejection names one
/// thing to fix, and the checks run in the order a user would fix them (what, how many, at what price,
/// for how long).
public enum OrderValidator {
    public static func validate(_ request: OrderRequest, limits: OrderLimits = .standard) -> Result<ValidatedOrder, OrderRejection> {
        let instrument: OrderInstrument
        switch OrderInstrument.resolve(request.symbol) {
        case .success(let resolved): instrument = resolved
        case .failure(let rejection): return .failure(rejection)
        }
        let problem =
            quantityProblem(request.quantity, instrument: instrument, limits: limits)
            ?? limitPriceProblem(request, instrument: instrument, limits: limits)
            ?? timeInForceProblem(request, instrument: instrument)
            ?? clientOrderIdProblem(request.clientOrderId, limits: limits)
        if let problem { return .failure(problem) }
        return .success(
            ValidatedOrder(
                instrument: instrument, side: request.side, quantity: request.quantity, type: request.type,
                limitPrice: request.limitPrice, timeInForce: request.timeInForce, clientOrderId: request.clientOrderId
            ))
    }

    /// Positive, within bounds, and whole contracts for options (exchanges trade no fractions of a
    /// contract). Stock quantities may be fractional to six decimals, as Alpaca's are.
    static func quantityProblem(_ quantity: Decimal6, instrument: OrderInstrument, limits: OrderLimits) -> OrderRejection? {
        guard quantity.isPositive else {
            return OrderRejection(.invalidQuantity, "quantity must be greater than 0 (got \(quantity))")
        }
        switch instrument {
        case .equity:
            guard quantity <= limits.maximumShares else {
                return OrderRejection(
                    .quantityTooLarge, "quantity \(quantity) exceeds the maximum of \(limits.maximumShares) shares per order")
            }
        case .option:
            guard quantity.micros % Decimal6.microsPerUnit == 0 else {
                return OrderRejection(.fractionalContracts, "options trade in whole contracts; quantity \(quantity) has a fraction")
            }
            guard quantity <= limits.maximumContracts else {
                return OrderRejection(
                    .quantityTooLarge, "quantity \(quantity) exceeds the maximum of \(limits.maximumContracts) contracts per order")
            }
        }
        return nil
    }

    /// A limit price exactly for limit orders; positive, bounded and on the instrument's tick.
    static func limitPriceProblem(_ request: OrderRequest, instrument: OrderInstrument, limits: OrderLimits) -> OrderRejection? {
        switch (request.type, request.limitPrice) {
        case (.market, nil):
            return nil
        case (.market, .some):
            return OrderRejection(.unexpectedLimitPrice, "market orders take no limit price; remove limit_price or use type limit")
        case (.limit, nil):
            return OrderRejection(.missingLimitPrice, "limit orders need a limit_price")
        case (.limit, .some(let price)):
            return priceValueProblem(price, assetClass: instrument.assetClass, limits: limits)
        }
    }

    static func priceValueProblem(_ price: Decimal6, assetClass: AssetClass, limits: OrderLimits) -> OrderRejection? {
        guard price.isPositive else {
            return OrderRejection(.invalidLimitPrice, "limit_price must be greater than 0 (got \(price))")
        }
        guard price <= limits.maximumLimitPrice else {
            return OrderRejection(.limitPriceTooLarge, "limit_price \(price) exceeds the maximum of \(limits.maximumLimitPrice)")
        }
        guard TickSize.isOnTick(price, assetClass: assetClass) else {
            let tick = TickSize.tick(for: price, assetClass: assetClass)
            return OrderRejection(.invalidTickSize, "limit_price \(price) is not a multiple of the tick size \(tick) for this price")
        }
        return nil
    }

    /// Options are day orders only, as at Alpaca (its `invalid option time_in_force`): contracts are
    /// thinly traded and an order left open across sessions would fill against stale marks.
    /// Market orders take `day` or `ioc`: one accepted outside the session fills at the next open,
    /// so `gtc` would add nothing but the chance of filling weeks later at a surprise price.
    static func timeInForceProblem(_ request: OrderRequest, instrument: OrderInstrument) -> OrderRejection? {
        if case .option = instrument, request.timeInForce != .day {
            return OrderRejection(.invalidTimeInForce, "option orders must use time_in_force day (got \(request.timeInForce.rawValue))")
        }
        if request.type == .market, request.timeInForce == .gtc {
            return OrderRejection(
                .invalidTimeInForce, "market orders fill now or at the next open; use time_in_force day or ioc, or a gtc limit order")
        }
        return nil
    }

    /// Printable ASCII without spaces, 1…max characters: the id is echoed in URLs, logs and CSV.
    static func clientOrderIdProblem(_ id: String?, limits: OrderLimits) -> OrderRejection? {
        guard let id else { return nil }
        let printable = id.unicodeScalars.allSatisfy { (33...126).contains($0.value) }
        guard !id.isEmpty, id.count <= limits.maximumClientOrderIdLength, printable else {
            return OrderRejection(
                .invalidClientOrderId,
                "client_order_id must be 1-\(limits.maximumClientOrderIdLength) printable characters without spaces")
        }
        return nil
    }
}
