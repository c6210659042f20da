import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// Proves the ledger agrees with itself (`mbt verify`): for every account, the cash equals the
/// starting balance plus every fill's and cash movement's effect, each open position equals the sum
/// of its fills, every filled order has exactly one fill, no fill belongs to an order that is
/// neither filled nor an option that expired worthless (whose order is `expired` with a fill at 0),
/// and its open-order totals add up its open orders.
public struct LedgerVerifier: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// One disagreement, said so an operator can find the rows.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        public let userId: Int64
        public let message: String

        public var description: String { "user \(userId): \(message)" }
    }

    public struct Report: Sendable {
        public let accountsChecked: Int
        public let fillsChecked: Int
        public let violations: [Violation]
    }

    private struct FillRow {
        let orderId: Int64
        let userId: Int64
        let symbol: String
        let side: OrderSide
        let assetClass: AssetClass
        let quantity: Decimal6
        let price: Decimal6
    }

    public func verify() async throws -> Report {
        try await database.withConnection { db in
            let fills = try await fillRows(db)
            var violations = try await orderFillPairing(db)
            violations += try await fillOwners(db)
            violations += try await multiLegOrders(db)
            violations += try await openOrderTotals(db)
            let accounts = try await db.select().columns("user_id", "starting_balance", "cash_balance").from("paper_accounts").all()
            let movements = try await cashMovements(db)
            let positions = try await openPositions(db)
            let fillsByUser = Dictionary(grouping: fills, by: \.userId)
            for account in accounts {
                let userId = try account.decode(column: "user_id", as: Int64.self)
                let userFills = fillsByUser[userId] ?? []
                violations += try checkCash(
                    userId: userId, starting: account.decimal("starting_balance"), cash: account.decimal("cash_balance"),
                    fills: userFills, movements: movements[userId] ?? .zero)
                violations += try checkPositions(userId: userId, fills: userFills, positions: positions[userId] ?? [:])
            }
            return Report(accountsChecked: accounts.count, fillsChecked: fills.count, violations: violations)
        }
    }

    private func fillRows(_ db: any SQLDatabase) async throws -> [FillRow] {
        try await db.select()
            .columns(
                SQLColumn("paper_order_id", table: "paper_fills"), SQLColumn("user_id", table: "paper_orders"),
                SQLColumn("symbol", table: "paper_orders"), SQLColumn("side", table: "paper_orders"),
                SQLColumn("asset_class", table: "paper_orders"), SQLColumn("fill_qty", table: "paper_fills"),
                SQLColumn("fill_price", table: "paper_fills")
            )
            .from("paper_fills")
            .join("paper_orders", on: SQLColumn("id", table: "paper_orders"), .equal, SQLColumn("paper_order_id", table: "paper_fills"))
            .all()
            .map { row in
                FillRow(
                    orderId: try row.decode(column: "paper_order_id", as: Int64.self),
                    userId: try row.decode(column: "user_id", as: Int64.self),
                    symbol: try row.decode(column: "symbol", as: String.self), side: try row.enumValue("side", as: OrderSide.self),
                    assetClass: try row.enumValue("asset_class", as: AssetClass.self), quantity: try row.decimal("fill_qty"),
                    price: try row.decimal("fill_price"))
            }
    }

    /// Filled orders need exactly one fill; other orders none. A multi-leg parent has no fill of its
    /// own (its legs do), so it is checked by ``multiLegOrders(_:)`` instead.
    private func orderFillPairing(_ db: any SQLDatabase) async throws -> [Violation] {
        let rows = try await db.raw(
            """
            SELECT o.id AS order_id, o.user_id AS user_id, o.status AS status, COUNT(f.id) AS fills
            FROM paper_orders o LEFT JOIN paper_fills f ON f.paper_order_id = o.id
            WHERE NOT (o.order_class = 'mleg' AND o.parent_order_id IS NULL)
            GROUP BY o.id, o.user_id, o.status
            HAVING (o.status = 'filled' AND COUNT(f.id) <> 1) OR (o.status = 'expired' AND COUNT(f.id) > 1)
                OR (o.status NOT IN ('filled', 'expired') AND COUNT(f.id) > 0)
            """
        ).all()
        return try rows.map { row in
            let fills = try row.decode(column: "fills", as: Int.self)
            let status = try row.decode(column: "status", as: String.self)
            return Violation(
                userId: try row.decode(column: "user_id", as: Int64.self),
                message: "order \(try row.decode(column: "order_id", as: Int64.self)) is \(status) with \(fills) fill(s)")
        }
    }

    /// A fill's `user_id` (what the tax ledger reads it by) is its order's owner.
    private func fillOwners(_ db: any SQLDatabase) async throws -> [Violation] {
        try await db.raw(
            """
            SELECT f.id AS fill_id, f.user_id AS fill_user_id, o.user_id AS user_id
            FROM paper_fills f JOIN paper_orders o ON o.id = f.paper_order_id WHERE f.user_id <> o.user_id
            """
        ).all().map { row in
            Violation(
                userId: try row.decode(column: "user_id", as: Int64.self),
                message: "fill \(try row.decode(column: "fill_id", as: Int64.self)) names user \(try row.decode(column: "fill_user_id", as: Int64.self)) but its order is theirs")
        }
    }

    /// A multi-leg order has no fill of its own: it is filled exactly when every leg is, at the
    /// net of its legs' prices (docs/ledger.md), and otherwise no leg is filled.
    private func multiLegOrders(_ db: any SQLDatabase) async throws -> [Violation] {
        var violations: [Violation] = []
        for (parent, legs) in try await OrderLegStore.everyMultiLegOrder(on: db) {
            let parentId = parent.id
            let filled = legs.filter { $0.status == .filled }.count
            if parent.status == .filled ? filled != legs.count : filled != 0 {
                violations.append(
                    Violation(
                        userId: parent.userId,
                        message: "multi-leg order \(parentId) is \(parent.status.rawValue) with \(filled) of \(legs.count) legs filled"))
                continue
            }
            if let stray = legs.first(where: { $0.status.isOpen != parent.status.isOpen }) {
                violations.append(
                    Violation(
                        userId: parent.userId,
                        message:
                            "multi-leg order \(parentId) is \(parent.status.rawValue) but its leg \(stray.id) is \(stray.status.rawValue)"))
                continue
            }
            guard parent.status == .filled, let net = parent.fillPrice else { continue }
            let sum = try legs.reduce(Decimal6.zero) { total, leg in
                // Per unit of the parent: an option leg's price × its ratio, a stock leg's per 100 shares.
                let perUnit = try (leg.fillPrice ?? .zero).multiplied(by: leg.quantity).divided(by: parent.quantity)
                let value = leg.assetClass == .option ? perUnit : try perUnit.divided(by: OptionSymbol.contractMultiplier)
                return leg.side == .buy ? total + value : total - value
            }
            if sum != net {
                violations.append(
                    Violation(userId: parent.userId, message: "multi-leg order \(parentId) filled at \(net) but its legs net \(sum)"))
            }
        }
        return violations
    }

    /// Each account's open-order totals, which the writer reads instead of its open orders, are
    /// what its open orders add up to.
    private func openOrderTotals(_ db: any SQLDatabase) async throws -> [Violation] {
        func byKey(_ totals: [OpenOrderTotals.Total]) -> [OpenOrderTotals.Total: Decimal6] {
            Dictionary(totals.map { total in
                var key = total
                key.quantity = .zero
                return (key, total.quantity)
            }, uniquingKeysWith: +)
        }
        let stored = byKey(try await OpenOrderTotals.stored(on: db))
        let recounted = byKey(try await OpenOrderTotals.recounted(on: db))
        return Set(stored.keys).union(recounted.keys).compactMap { key -> Violation? in
            let held = stored[key] ?? .zero
            let open = recounted[key] ?? .zero
            guard held != open else { return nil }
            let price = key.limitPrice.map { "at \($0)" } ?? "at market"
            return Violation(
                userId: key.userId,
                message: "open \(key.side.rawValue) orders of \(key.symbol) \(price) total \(held) in paper_open_order_totals "
                    + "but \(open) in paper_orders")
        }
        .sorted { ($0.userId, $0.message) < ($1.userId, $1.message) }
    }

    private func cashMovements(_ db: any SQLDatabase) async throws -> [Int64: Decimal6] {
        var totals: [Int64: Decimal6] = [:]
        for row in try await db.select().columns("user_id", "amount").from("cash_movements").all() {
            totals[try row.decode(column: "user_id", as: Int64.self), default: .zero] += try row.decimal("amount")
        }
        return totals
    }

    private func openPositions(_ db: any SQLDatabase) async throws -> [Int64: [String: Decimal6]] {
        var result: [Int64: [String: Decimal6]] = [:]
        let rows = try await db.select().columns("user_id", "symbol", "side", "qty").from("paper_positions")
            .where("closed_at", .is, SQLLiteral.null).all()
        for row in rows {
            let quantity = try row.decimal("qty")
            let signed = try row.enumValue("side", as: PositionSide.self) == .long ? quantity : -quantity
            result[try row.decode(column: "user_id", as: Int64.self), default: [:]][
                try row.decode(column: "symbol", as: String.self), default: .zero] +=
                signed
        }
        return result
    }

    private func checkCash(userId: Int64, starting: Decimal6, cash: Decimal6, fills: [FillRow], movements: Decimal6) throws -> [Violation] {
        var expected = starting + movements
        for fill in fills {
            let multiplier = fill.assetClass == .option ? OptionSymbol.contractMultiplier : 1
            let notional = try fill.price.multiplied(by: fill.quantity.multiplied(by: multiplier))
            expected += fill.side == .buy ? -notional : notional
        }
        guard expected != cash else { return [] }
        return [Violation(userId: userId, message: "cash is \(cash) but the fills and cash movements add up to \(expected)")]
    }

    private func checkPositions(userId: Int64, fills: [FillRow], positions: [String: Decimal6]) throws -> [Violation] {
        var expected: [String: Decimal6] = [:]
        for fill in fills { expected[fill.symbol, default: .zero] += fill.side == .buy ? fill.quantity : -fill.quantity }
        var violations: [Violation] = []
        for symbol in Set(expected.keys).union(positions.keys).sorted() {
            let fromFills = expected[symbol] ?? .zero
            let held = positions[symbol] ?? .zero
            if fromFills != held {
                violations.append(Violation(userId: userId, message: "position \(symbol) is \(held) but its fills add up to \(fromFills)"))
            }
        }
        return violations
    }
}

extension Decimal6 {
    fileprivate static func += (lhs: inout Decimal6, rhs: Decimal6) { lhs = lhs + rhs }
}
