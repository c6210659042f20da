import Hummingbird
import Logging
import MBTDomain
import MBTTrading

/// Everything the Alpaca routes (`/v2`, `/v1beta1`, `/v1`) do before and after a route (docs/alpaca-api.md): the trading gate (the flag
/// and the kill switches, as for `/api/trading`), authentication, the per-key rate limit with its
/// headers on every authenticated answer, and every failure answered in Alpaca's error shape, never MBT's.
struct AlpacaMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let prefix = "/v2"
    /// Alpaca's market data lives under `/v2/stocks`, `/v1beta1/options` and `/v1/corporate-actions` (its data host).
    static let prefixes = [prefix, "/v1beta1", "/v1"]
    static let marketDataPrefixes = [prefix + "/stocks", "/v1beta1", "/v1"]

    let gate: TradingGate
    let authentication: AlpacaAuthentication
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard Self.prefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else { return try await next(request, context) }
        var rateHeaders: HTTPFields = [:]
        var response: Response
        do {
            try checkGate(request)
            let (user, rateKey) = try await authentication.authenticate(request)
            let decision = await limiter.take(rateKey)
            rateHeaders = decision.headers
            guard decision.allowed else { throw AlpacaError.rateLimited }
            var context = context
            context.user = user
            context.logger[metadataKey: "user_id"] = "\(user.id)"
            response = try await next(request, context)
        } catch {
            response = AlpacaError.from(error, request: request, logger: context.logger).response()
        }
        response.headers.append(contentsOf: rateHeaders)
        return response
    }

    private func checkGate(_ request: Request) throws {
        switch gate.refusal(for: Self.action(method: request.method, path: request.uri.path)) {
        case nil:
            return
        case .featureDisabled(let reason):
            throw AlpacaError.notFound("paper trading is not enabled: \(reason)")
        case .tradingDisabled:
            throw AlpacaError(
                .serviceUnavailable, "trading is temporarily disabled by the operator (\(TradingGate.tradingDisabledVariable))")
        case .newOrdersDisabled:
            throw AlpacaError(
                .serviceUnavailable,
                "new orders are temporarily disabled by the operator (\(TradingGate.newOrdersDisabledVariable)); reads and cancels still work"
            )
        }
    }

    /// What a request would do: closing or exercising a position submits orders; market data is only gated by the flag.
    static func action(method: HTTPRequest.Method, path: String) -> TradingGate.Action {
        if marketDataPrefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { return .marketData }
        switch method {
        case .get, .head: return .read
        case _ where path.hasPrefix(prefix + "/watchlists"): return .otherChange
        case .delete where path.hasPrefix(prefix + "/positions"): return .newOrder
        case .delete: return .cancel
        case .post where path == prefix + "/orders", .patch where path.hasPrefix(prefix + "/orders/"): return .newOrder
        // An exercise writes orders and fills like a new order.
        case .post where path.hasPrefix(prefix + "/positions/"): return .newOrder
        default: return .otherChange
        }
    }
}
