import Foundation
import MBTDomain
import MBTStorage

/// The resting iron condors of `mbt bench bars combos`, written as the submit path leaves a
/// resting combo (a parent holding its reservation, four open legs, the legs recorded on the
/// parent), in bulk, since the bench measures the tick, not the submissions.
enum ComboBenchBook {
    struct Condor {
        let legs: [(contract: OptionSymbol, intent: PositionIntent, mid: Decimal6)]

        /// Credit per unit at the mids: −1.00 + 2.50 + 3.00 − 1.20 = 3.30.
        func quotes(at instant: Date) -> [Quote] {
            legs.map { leg in
                Quote(
                    symbol: leg.contract.description, bid: leg.mid - "0.05", ask: leg.mid + "0.05", bidSize: 1, askSize: 1,
                    timestamp: instant)
            }
        }
    }

    static func condor() throws -> Condor {
        let expiry = MarketDate(year: 2026, month: 4, day: 17)!
        func contract(_ right: OptionSymbol.Right, _ strike: Decimal6) throws -> OptionSymbol {
            try OptionSymbol(root: "AAPL", expiry: expiry, right: right, strike: strike)
        }
        return Condor(legs: [
            (try contract(.put, 130), .buyToOpen, "1.00"), (try contract(.put, 140), .sellToOpen, "2.50"),
            (try contract(.call, 160), .sellToOpen, "3.00"), (try contract(.call, 170), .buyToOpen, "1.20"),
        ])
    }

    /// `count` condors round-robin over the accounts; the first `crossed` ask a 3.20 credit (the
    /// mids give 3.30), the rest 3.60. Each holds back 10 × 100 − its credit.
    static func insert(
        count: Int, crossed: Int, condor: Condor, userIds: [Int64], submittedAt: Date, in database: any DatabaseClient
    ) async throws {
        let orders = OrderStore(database: database)
        let dialect = database.dialect
        for chunk in Array(0..<count).chunked(into: 500) {
            try await database.withTransaction { db in
                let parents = try await orders.insert(
                    try chunk.map { index in
                        let limit: Decimal6 = index < crossed ? "-3.20" : "-3.60"
                        var row = OrderStore.NewOrder(
                            userId: userIds[index % userIds.count], symbol: "AAPL", assetClass: .option, side: .sell, quantity: 1,
                            type: .limit, timeInForce: .day, limitPrice: limit, status: .accepted, submittedAt: submittedAt,
                            orderClass: .mleg)
                        row.reservedBuyingPower = 1_000 + (try limit.multiplied(by: OptionSymbol.contractMultiplier))
                        return row
                    }, on: db)
                let legRows = parents.flatMap { parent in
                    condor.legs.map { leg in
                        var row = OrderStore.NewOrder(
                            userId: parent.userId, symbol: leg.contract.description, assetClass: .option, side: leg.intent.side,
                            quantity: 1,
                            type: .market, timeInForce: .day, limitPrice: nil, status: .accepted, submittedAt: submittedAt,
                            orderClass: .mleg)
                        row.parentOrderId = parent.id
                        return row
                    }
                }
                let legs = try await orders.insert(legRows, on: db)
                for (parent, children) in zip(parents, legs.chunked(into: condor.legs.count)) {
                    let recorded = zip(children, condor.legs).map { child, leg in
                        OrderLeg(orderId: child.id, symbol: child.symbol, side: child.side, ratioQty: 1, positionIntent: leg.intent)
                    }
                    try await OrderLegStore.record(recorded, parentId: parent.id, dialect: dialect, on: db)
                }
            }
        }
    }
}
