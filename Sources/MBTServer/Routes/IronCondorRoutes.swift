import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// The iron-condor builder (docs/multi-leg.md): `preview` picks the four strikes from the chain and
/// answers the legs with their quotes and greeks and the figures a trader checks; `submit` builds
/// the same condor and sends exactly that multi-leg order.
struct IronCondorRoutes {
    let service: OrderService
    let orders: OrderStore

    static let fields: Set<String> = [
        "underlying", "expiry", "short_call_delta", "short_put_delta", "short_call_strike", "short_put_strike", "wing_width", "qty",
        "limit_price", "strategy_id", "client_order_id",
    ]

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/api/strategies/iron-condor/preview") { request, context in
            let user = try context.requireUser()
            let body = try await JSONFields.read(request, context: context, allowed: Self.fields)
            let (preview, chain) = try await build(try Self.request(body), for: user)
            return PreviewBody(preview, chain: chain)
        }
        routes.on(.post, "/api/strategies/iron-condor/submit") { request, context in
            let user = try context.requireUser()
            let body = try await JSONFields.read(request, context: context, allowed: Self.fields)
            let (preview, _) = try await build(try Self.request(body), for: user)
            let strategyId = try body.wholeNumber("strategy_id", in: 1...Int.max).map(Int64.init)
            let submission = try await service.submit(
                preview.ticket, clientOrderId: try body.string("client_order_id"), strategyId: strategyId, for: user)
            switch submission {
            case .created(let order): return EditedResponse(status: .created, response: try await withLegs(order))
            case .existing(let order): return EditedResponse(status: .ok, response: try await withLegs(order))
            }
        }
    }

    private func withLegs(_ order: PaperOrder) async throws -> OrderBody {
        OrderBody(order, legs: try await orders.legs(of: [order.id])[order.id])
    }

    /// The condor from the chain of the request's underlying and expiry.
    func build(_ request: IronCondorRequest, for user: User) async throws -> (IronCondorPreview, [OptionChainEntry]) {
        let chain = try await service.marketData.optionChain(underlying: request.underlying, expiry: request.expiry, for: [user.id])
        switch IronCondorBuilder.build(request, chain: chain, limits: service.limits) {
        case .success(let preview): return (preview, chain)
        case .failure(let error): throw APIError.validation(Self.message(error))
        }
    }

    /// The builder's messages name their field already ("wing_width 1 lands on …"); others get it in front.
    static func message(_ error: ComboError) -> String {
        error.message.hasPrefix(error.field) ? error.message : "\(error.field): \(error.message)"
    }

    static func request(_ body: JSONFields) throws -> IronCondorRequest {
        let underlying = try body.required("underlying", body.string).uppercased()
        guard case .success = MarketSymbol.normalize(underlying) else {
            throw APIError.validation("underlying must be a stock symbol such as AAPL")
        }
        let expiryText = try body.required("expiry", body.string)
        guard let expiry = MarketDate(iso: expiryText) else {
            throw APIError.validation("expiry must be a date YYYY-MM-DD, such as 2026-04-17")
        }
        let deltas = (try body.decimal("short_call_delta"), try body.decimal("short_put_delta"))
        let strikes = (try body.decimal("short_call_strike"), try body.decimal("short_put_strike"))
        let shortStrikes: IronCondorRequest.ShortStrikes
        switch (deltas, strikes) {
        case ((let call?, let put?), (nil, nil)): shortStrikes = .deltas(call: call, put: put)
        case ((nil, nil), (let call?, let put?)): shortStrikes = .strikes(call: call, put: put)
        default:
            throw APIError.validation("give short_call_delta and short_put_delta, or short_call_strike and short_put_strike")
        }
        return IronCondorRequest(
            underlying: underlying, expiry: expiry, shortStrikes: shortStrikes, wingWidth: try body.required("wing_width", body.decimal),
            qty: try body.required("qty", body.decimal), limitPrice: try body.decimal("limit_price"))
    }

    struct PreviewBody: ResponseEncodable {
        /// A leg: what the ticket will say, and the contract as the chain shows it.
        struct Leg: Encodable {
            let symbol: String
            let side: OrderSide
            let ratioQty: Int
            let positionIntent: PositionIntent
            let contract: ContractBody?
        }

        let legs: [Leg]
        let qty: Decimal6
        let limitPrice: Decimal6?
        let netCredit: Decimal6
        let maxProfit: Decimal6
        let maxLoss: Decimal6
        let breakEvenLow: Decimal6
        let breakEvenHigh: Decimal6
        let buyingPowerRequired: Decimal6

        init(_ preview: IronCondorPreview, chain: [OptionChainEntry]) {
            let bySymbol = Dictionary(chain.map { ($0.symbol.description, $0) }) { first, _ in first }
            legs = preview.legs.map { leg in
                Leg(
                    symbol: leg.symbol, side: leg.side, ratioQty: leg.ratioQty, positionIntent: leg.positionIntent,
                    contract: bySymbol[leg.symbol].map(ContractBody.init))
            }
            qty = preview.ticket.qty
            limitPrice = preview.ticket.limitPrice
            netCredit = preview.netCredit
            maxProfit = preview.maxProfit
            maxLoss = preview.maxLoss
            breakEvenLow = preview.breakEvenLow
            breakEvenHigh = preview.breakEvenHigh
            buyingPowerRequired = preview.buyingPowerRequired
        }
    }
}
