import Hummingbird
import MBTDomain
import MBTTrading

/// `POST /api/trading/positions/{symbol}/exercise`: the caller exercises every contract of a long
/// option position now, through the expiry job's ledger path (docs/jobs.md, "Early exercise"),
/// and sees the orders it wrote (the option's close, then the shares delivered at the strike).
struct ExerciseRoutes {
    let service: OrderService

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/api/trading/positions/{symbol}/exercise") { _, context in
            let user = try context.requireUser()
            let symbol = (context.parameters.get("symbol") ?? "").uppercased()
            let exercised = try await service.exercise(symbol, for: user)
            return ExercisedBody(explanation: exercised.outcome.explanation, orders: exercised.orders.map { OrderBody($0) })
        }
    }

    struct ExercisedBody: ResponseEncodable {
        let explanation: String
        let orders: [OrderBody]
    }
}
