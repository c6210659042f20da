import Foundation
import MBTDomain
import SQLKit

/// One leg of a multi-leg order as its parent records it in `related_leg_orders`: the child
/// order's id and what the ticket said of the leg.
public struct OrderLeg: Sendable, Hashable, Codable {
    public let orderId: Int64
    public let symbol: String
    public let side: OrderSide
    public let ratioQty: Int64
    public let positionIntent: PositionIntent

    public init(orderId: Int64, symbol: String, side: OrderSide, ratioQty: Int64, positionIntent: PositionIntent) {
        self.orderId = orderId
        self.symbol = symbol
        self.side = side
        self.ratioQty = ratioQty
        self.positionIntent = positionIntent
    }
}

/// The legs of multi-leg orders: the parent's `related_leg_orders` (JSON) and its children
/// (`parent_order_id`).
public enum OrderLegStore {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// Records the legs on their parent, once the children have ids.
    public static func record(_ legs: [OrderLeg], parentId: Int64, dialect: DatabaseDialect, on db: any SQLDatabase) async throws {
        let json = String(decoding: try encoder.encode(legs), as: UTF8.self)
        let value: SQLQueryString = dialect == .postgres ? "\(bind: json)::jsonb" : "\(bind: json)"
        try await db.raw("UPDATE paper_orders SET related_leg_orders = \(value) WHERE id = \(bind: parentId)").run()
    }

    /// Each parent's legs in ticket order, with the child orders as they stand; orders without
    /// legs are absent.
    public static func legs(of parentIds: [Int64], dialect: DatabaseDialect, on db: any SQLDatabase) async throws
        -> [Int64: [(leg: OrderLeg, order: PaperOrder)]]
    {
        guard !parentIds.isEmpty else { return [:] }
        let children = try await db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
            .where("parent_order_id", .in, SQLBind.group(parentIds)).all().map(OrderStore.decode)
        guard !children.isEmpty else { return [:] }
        let byId = Dictionary(uniqueKeysWithValues: children.map { ($0.id, $0) })
        let column: SQLQueryString = dialect == .postgres ? "related_leg_orders::text" : "related_leg_orders"
        let rows = try await db.raw(
            "SELECT id, \(column) AS legs FROM paper_orders WHERE id IN (\(binds: Array(Set(children.compactMap(\.parentOrderId)))))"
        ).all()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var legs: [Int64: [(leg: OrderLeg, order: PaperOrder)]] = [:]
        for row in rows {
            guard let text = try row.decode(column: "legs", as: String?.self) else { continue }
            let recorded = try decoder.decode([OrderLeg].self, from: Data(text.utf8))
            legs[try row.decode(column: "id", as: Int64.self)] = recorded.compactMap { leg in byId[leg.orderId].map { (leg, $0) } }
        }
        return legs
    }

    /// Every multi-leg order with its legs, by parent id (`mbt verify`).
    public static func everyMultiLegOrder(on db: any SQLDatabase) async throws -> [(parent: PaperOrder, legs: [PaperOrder])] {
        let children = try await db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
            .where("parent_order_id", .isNot, SQLLiteral.null).all().map(OrderStore.decode)
        let byParent = Dictionary(grouping: children) { $0.parentOrderId ?? 0 }
        var result: [(parent: PaperOrder, legs: [PaperOrder])] = []
        for chunk in byParent.keys.sorted().chunked(into: LedgerStore.rowsPerStatement) {
            let parents = try await db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
                .where("id", .in, SQLBind.group(chunk)).orderBy("id").all().map(OrderStore.decode)
            result += parents.map { ($0, byParent[$0.id] ?? []) }
        }
        return result
    }
}
