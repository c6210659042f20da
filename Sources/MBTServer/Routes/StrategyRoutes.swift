import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// `/api/strategies`: the caller's strategies (a name, a kind, the lot method their orders' closing
/// fills use, and for a covered-call program its settings). Another user's strategy is "not found".
struct StrategyRoutes {
    let strategies: StrategyStore
    let roll: CoveredCallRoll
    let clock: any MarketClock

    static let fields: Set<String> = ["name", "kind", "default_tax_lot_method", "lcc"]
    static let coveredCallFields: Set<String> = ["underlying", "default_tax_lot_method", "roll_days_before_expiry"]

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/api/strategies") { request, context in
            let user = try context.requireUser()
            let body = try await JSONFields.read(request, context: context, allowed: Self.fields)
            let name = try body.required("name", body.string)
            let kind = try body.choice("kind", Strategy.Kind.self) ?? .custom
            let method = try Self.lotMethod(body)
            let coveredCall = try Self.coveredCall(body, existing: nil)
            try Self.check(name: name, kind: kind, coveredCall: coveredCall)
            let strategy = try await named(name) {
                try await strategies.create(
                    userId: user.id, name: name, kind: kind, defaultTaxLotMethod: method, coveredCall: coveredCall, at: clock.now())
            }
            return EditedResponse(status: .created, response: StrategyBody(strategy))
        }
        routes.on(.get, "/api/strategies") { _, context in
            let user = try context.requireUser()
            return StrategyList(strategies: try await strategies.list(userId: user.id).map(StrategyBody.init))
        }
        routes.on(.get, "/api/strategies/{id}") { _, context in
            StrategyBody(try await strategy(context))
        }
        routes.on(.patch, "/api/strategies/{id}") { request, context in
            var strategy = try await strategy(context)
            let body = try await JSONFields.read(request, context: context, allowed: Self.fields)
            if body.names.contains("kind") { throw APIError.validation("kind cannot be changed; create another strategy") }
            guard !body.names.isEmpty else { throw APIError.validation("nothing to change; send name, default_tax_lot_method or lcc") }
            if let name = try body.string("name") { strategy.name = name }
            if body.names.contains("default_tax_lot_method") { strategy.defaultTaxLotMethod = try Self.lotMethod(body) }
            if let coveredCall = try Self.coveredCall(body, existing: strategy.coveredCall) { strategy.coveredCall = coveredCall }
            try Self.check(name: strategy.name, kind: strategy.kind, coveredCall: strategy.coveredCall)
            let updated = strategy
            return StrategyBody(try await named(updated.name) { try await strategies.update(updated, at: clock.now()) })
        }
        routes.on(.post, "/api/strategies/{id}/roll") { request, context in
            let strategy = try await strategy(context)
            let body = try await JSONFields.read(request, context: context, allowed: ["expiry", "strike", "delta", "symbol"])
            let expiryText = try body.required("expiry", body.string)
            guard let expiry = MarketDate(iso: expiryText) else {
                throw APIError.validation("expiry must be a date YYYY-MM-DD, such as 2026-04-17")
            }
            let target: CoveredCallRoll.Target
            switch (try body.decimal("strike"), try body.decimal("delta")) {
            case (let strike?, nil): target = .strike(strike)
            case (nil, let delta?):
                guard delta.isPositive, delta < 1 else { throw APIError.validation("delta must be between 0 and 1") }
                target = .delta(delta)
            default: throw APIError.validation("give strike or delta for the new call")
            }
            do {
                let outcome = try await roll.roll(
                    strategy, symbol: try body.string("symbol")?.uppercased(), to: expiry, target: target, for: try context.requireUser())
                return RollBody(close: OrderBody(outcome.close), open: OrderBody(outcome.open))
            } catch let failure as CoveredCallRoll.Failure {
                switch failure {
                case .nothingToRoll(let why), .noContract(let why): throw APIError.validation(why)
                case .closeNotFilled(let order):
                    throw APIError.conflict(
                        "the close (order \(order.id)) did not fill and is \(order.status.rawValue); nothing was opened")
                }
            }
        }
        routes.on(.delete, "/api/strategies/{id}") { _, context in
            let strategy = try await strategy(context)
            guard try await strategies.delete(id: strategy.id, userId: strategy.userId) else { throw Self.notFound(strategy.id) }
            return StrategyBody(strategy)
        }
    }

    /// The caller's strategy named by the path.
    private func strategy(_ context: AppRequestContext) async throws -> Strategy {
        let user = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else { throw APIError.notFound("no such strategy") }
        guard let strategy = try await strategies.strategy(id: id, userId: user.id) else { throw Self.notFound(id) }
        return strategy
    }

    /// Runs a write that may find the name taken, answered as a 409.
    private func named(_ name: String, _ write: () async throws -> Strategy) async throws -> Strategy {
        do {
            return try await write()
        } catch is StrategyStore.NameTaken {
            throw APIError.conflict("you already have a strategy named \(name)")
        }
    }

    private static func notFound(_ id: Int64) -> APIError { APIError.notFound("strategy \(id) not found") }

    /// A lot method a strategy can set: specific identification needs lots named on each order.
    private static func lotMethod(_ body: JSONFields, field: String = "default_tax_lot_method") throws -> TaxLotMethod? {
        guard let method = try body.choice(field, TaxLotMethod.self) else { return nil }
        guard method != .specificId else { throw APIError.validation("\(field) must be fifo, lifo or hifo") }
        return method
    }

    /// The `lcc` object, merged over `existing` for a change.
    private static func coveredCall(_ body: JSONFields, existing: Strategy.CoveredCallConfig?) throws -> Strategy.CoveredCallConfig? {
        guard let fields = try body.object("lcc", allowed: coveredCallFields) else { return nil }
        let underlying = try fields.string("underlying")?.uppercased() ?? existing?.underlying
        guard let underlying else { throw APIError.validation("lcc.underlying is required") }
        return Strategy.CoveredCallConfig(
            underlying: underlying, lotMethod: try lotMethod(fields) ?? existing?.lotMethod ?? .fifo,
            rollDaysBeforeExpiry: try fields.wholeNumber("roll_days_before_expiry", in: 0...Strategy.maximumRollDays)
                ?? existing?.rollDaysBeforeExpiry ?? 7)
    }

    private static func check(name: String, kind: Strategy.Kind, coveredCall: Strategy.CoveredCallConfig?) throws {
        if let problem = Strategy.problem(name: name, kind: kind, coveredCall: coveredCall) { throw APIError.validation(problem.message) }
    }
}

struct StrategyBody: ResponseEncodable {
    struct CoveredCallBody: Encodable {
        let underlying: String
        let defaultTaxLotMethod: TaxLotMethod
        let rollDaysBeforeExpiry: Int
    }

    let id: Int64
    let name: String
    let kind: Strategy.Kind
    let defaultTaxLotMethod: TaxLotMethod?
    let lcc: CoveredCallBody?

    init(_ strategy: Strategy) {
        id = strategy.id
        name = strategy.name
        kind = strategy.kind
        defaultTaxLotMethod = strategy.defaultTaxLotMethod
        lcc = strategy.coveredCall.map {
            CoveredCallBody(underlying: $0.underlying, defaultTaxLotMethod: $0.lotMethod, rollDaysBeforeExpiry: $0.rollDaysBeforeExpiry)
        }
    }
}

/// A roll: the close that filled, then the open.
struct RollBody: ResponseEncodable {
    let close: OrderBody
    let open: OrderBody
}

struct StrategyList: ResponseEncodable {
    let strategies: [StrategyBody]
}
