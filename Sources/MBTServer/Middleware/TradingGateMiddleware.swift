import Hummingbird
import MBTTrading

/// Applies the ``TradingGate`` to every `/api/trading`, `/api/strategies` and `/api/market` request,
/// registered route or not, before authentication: with the flag off the trading API (and the
/// market data it redistributes) does not exist for anyone.
struct TradingGateMiddleware<Context: RequestContext>: RouterMiddleware {
    static var prefix: String { "/api/trading" }
    static var marketPrefix: String { "/api/market" }
    static var strategiesPrefix: String { "/api/strategies" }

    let gate: TradingGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let action: TradingGate.Action
        if path == Self.prefix || path.hasPrefix(Self.prefix + "/") || path == Self.strategiesPrefix
            || path.hasPrefix(Self.strategiesPrefix + "/")
        {
            action = Self.action(method: request.method, path: path)
        } else if path == Self.marketPrefix || path.hasPrefix(Self.marketPrefix + "/") {
            action = .marketData
        } else {
            return try await next(request, context)
        }
        switch gate.refusal(for: action) {
        case nil:
            return try await next(request, context)
        case .featureDisabled(let reason):
            throw APIError(status: .notFound, code: "feature_disabled", message: "paper trading is not enabled: \(reason)")
        case .tradingDisabled:
            throw APIError.unavailable(
                code: "trading_disabled", "trading is temporarily disabled by the operator (\(TradingGate.tradingDisabledVariable))")
        case .newOrdersDisabled:
            throw APIError.unavailable(
                code: "new_orders_disabled",
                "new orders are temporarily disabled by the operator (\(TradingGate.newOrdersDisabledVariable)); reads and cancels still work"
            )
        }
    }

    /// Classifies a trading request by what it would do.
    static func action(method: HTTPRequest.Method, path: String) -> TradingGate.Action {
        switch method {
        case .get, .head:
            return .read
        case .delete:
            return .cancel
        case .patch where path.hasPrefix(prefix + "/orders/"):
            return .newOrder
        case .post where path == prefix + "/orders" || path.hasSuffix("/submit") || path.hasSuffix("/roll") || path.hasSuffix("/exercise"):
            return .newOrder
        default:
            return .otherChange
        }
    }
}
