import Hummingbird
import Logging
import MBTDomain
import MBTTrading

/// Everything `/v2` does before and after a route (docs/alpaca-api.md): the trading gate (the flag
/// and the kill switches, as for `/api/trading`), authentication, the per-key rate limit with its
/// headers on every answer, and every failure answered in Alpaca's error shape, never MBT's.
struct AlpacaMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let prefix = "/v2"

    let gate: TradingGate
    let authentication: AlpacaAuthentication
    let limiter: AlpacaRateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == Self.prefix || path.hasPrefix(Self.prefix + "/") else { return try await next(request, context) }
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

    /// What a `/v2` request would do: closing a position submits an order.
    static func action(method: HTTPRequest.Method, path: String) -> TradingGate.Action {
        switch method {
        case .get, .head: .read
        case .delete where path.hasPrefix(prefix + "/positions"): .newOrder
        case .delete: .cancel
        case .post where path == prefix + "/orders", .patch where path.hasPrefix(prefix + "/orders/"): .newOrder
        default: .otherChange
        }
    }
}
