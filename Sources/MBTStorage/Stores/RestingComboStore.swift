import Foundation
import MBTDomain
import SQLKit

/// The bar loop's view of resting multi-leg orders: open parents with their legs, found through
/// `po_resting_combos` (migration 18). Combos are judged on their legs' quotes, not on bars, so
/// every resting combo is read on every tick.
public struct RestingComboStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    private static func openParents(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().from("paper_orders").where("status", .in, OpenOrderPredicate.binds)
            .where("order_class", .equal, SQLBind(OrderClass.mleg.rawValue)).where("parent_order_id", .is, SQLLiteral.null)
    }

    /// The earliest submission among resting combos, or `nil` when none rests.
    public func firstSubmission() async throws -> Date? {
        try await database.withConnection { db in
            try await Self.openParents(db).column("submitted_at").orderBy("submitted_at").limit(1).first()
                .map { try $0.timestamp("submitted_at") }
        }
    }

    /// Every resting combo's parent with its legs in ticket order, oldest first.
    public func resting() async throws -> [(parent: PaperOrder, legs: [(leg: OrderLeg, order: PaperOrder)])] {
        let dialect = database.dialect
        return try await database.withConnection { db in
            let parents = try await Self.openParents(db).columns(OrderStore.columns.map { SQLColumn($0) })
                .orderBy("submitted_at").orderBy("id").all().map(OrderStore.decode)
            var legs: [Int64: [(leg: OrderLeg, order: PaperOrder)]] = [:]
            for chunk in parents.map(\.id).chunked(into: LedgerStore.rowsPerStatement) {
                legs.merge(try await OrderLegStore.legs(of: chunk, dialect: dialect, on: db)) { first, _ in first }
            }
            return parents.map { ($0, legs[$0.id] ?? []) }
        }
    }
}
