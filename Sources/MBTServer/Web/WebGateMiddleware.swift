import Hummingbird
import MBTTrading

/// With the paper-trading flag off every page answers 404, as the trading API does: the web app
/// does not exist for anyone (the kill switches, by contrast, only disable the order forms).
struct WebGateMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let gate: TradingGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if case .featureDisabled = gate.refusal(for: .read) { throw WebError.notFound }
        return try await next(request, context)
    }
}
