import Foundation
import MBTDomain
import SQLKit

/// `strategies` and `lcc_strategy_config`: a user's strategies. Another user's strategy is simply
/// not found.
public struct StrategyStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// A strategy of this name exists for the user.
    public struct NameTaken: Error, Sendable {
        public let name: String
    }

    public func create(
        userId: Int64, name: String, kind: Strategy.Kind, defaultTaxLotMethod: TaxLotMethod?, coveredCall: Strategy.CoveredCallConfig?,
        at now: Date
    ) async throws -> Strategy {
        do {
            return try await database.withTransaction { db in
                let id = try await db.insert(into: "strategies").columns("user_id", "name", "kind", "default_tax_lot_method", "created_at")
                    .values(
                        SQLBind(userId), SQLBind(name), SQLBind(kind.rawValue), SQLBind(defaultTaxLotMethod?.rawValue),
                        SQLBind(StoredTimestamp(now))
                    )
                    .returning("id").first(decodingColumn: "id", as: Int64.self)
                guard let id else { throw StorageError.corruptValue("insert into strategies returned no id") }
                if let coveredCall { try await save(coveredCall, strategyId: id, at: now, on: db) }
                return Strategy(
                    id: id, userId: userId, name: name, kind: kind, defaultTaxLotMethod: defaultTaxLotMethod, coveredCall: coveredCall)
            }
        } catch  where SQLErrorKind(error) == .uniqueViolation {
            throw NameTaken(name: name)
        }
    }

    public func list(userId: Int64) async throws -> [Strategy] {
        try await database.withConnection { db in try await strategies(userId: userId, id: nil, on: db) }
    }

    public func strategy(id: Int64, userId: Int64) async throws -> Strategy? {
        try await database.withConnection { db in try await strategy(id: id, userId: userId, on: db) }
    }

    public func strategy(id: Int64, userId: Int64, on db: any SQLDatabase) async throws -> Strategy? {
        try await strategies(userId: userId, id: id, on: db).first
    }

    /// Saves the strategy's changeable parts (name, lot method, covered-call settings).
    public func update(_ strategy: Strategy, at now: Date) async throws -> Strategy {
        do {
            return try await database.withTransaction { db in
                try await db.update("strategies").set("name", to: SQLBind(strategy.name))
                    .set("default_tax_lot_method", to: SQLBind(strategy.defaultTaxLotMethod?.rawValue))
                    .where("id", .equal, SQLBind(strategy.id)).where("user_id", .equal, SQLBind(strategy.userId)).run()
                if let coveredCall = strategy.coveredCall { try await save(coveredCall, strategyId: strategy.id, at: now, on: db) }
                return strategy
            }
        } catch  where SQLErrorKind(error) == .uniqueViolation {
            throw NameTaken(name: strategy.name)
        }
    }

    /// Deletes the strategy; its orders keep their fills and lose the link. Returns whether it existed.
    public func delete(id: Int64, userId: Int64) async throws -> Bool {
        try await database.withConnection { db in
            try await db.delete(from: "strategies").where("id", .equal, SQLBind(id)).where("user_id", .equal, SQLBind(userId))
                .returning("id").all().count == 1
        }
    }

    private func save(_ config: Strategy.CoveredCallConfig, strategyId: Int64, at now: Date, on db: any SQLDatabase) async throws {
        try await db.delete(from: "lcc_strategy_config").where("strategy_id", .equal, SQLBind(strategyId)).run()
        try await db.insert(into: "lcc_strategy_config")
            .columns("strategy_id", "underlying", "default_tax_lot_method", "roll_days_before_expiry", "updated_at")
            .values(
                SQLBind(strategyId), SQLBind(config.underlying), SQLBind(config.lotMethod.rawValue), SQLBind(config.rollDaysBeforeExpiry),
                SQLBind(StoredTimestamp(now))
            ).run()
    }

    /// Each strategy's lot method for its fills: its covered-call config's, else its own default;
    /// strategies with neither are left out. The ledger records it on each fill it writes.
    public static func lotMethods(of strategyIds: Set<Int64>, on db: any SQLDatabase) async throws -> [Int64: TaxLotMethod] {
        guard !strategyIds.isEmpty else { return [:] }
        var methods: [Int64: TaxLotMethod] = [:]
        for chunk in strategyIds.sorted().chunked(into: LedgerStore.rowsPerStatement) {
            let rows = try await db.raw(
                """
                SELECT s.id, COALESCE(c.default_tax_lot_method, s.default_tax_lot_method) AS method \
                FROM strategies s LEFT JOIN lcc_strategy_config c ON c.strategy_id = s.id WHERE s.id IN (\(binds: chunk))
                """
            ).all()
            for row in rows where try !row.decodeNil(column: "method") {
                methods[try row.decode(column: "id", as: Int64.self)] = try row.enumValue("method", as: TaxLotMethod.self)
            }
        }
        return methods
    }

    private func strategies(userId: Int64, id: Int64?, on db: any SQLDatabase) async throws -> [Strategy] {
        var query: SQLQueryString = """
            SELECT s.id, s.user_id, s.name, s.kind, s.default_tax_lot_method, c.underlying, \
            c.default_tax_lot_method AS lcc_method, c.roll_days_before_expiry \
            FROM strategies s LEFT JOIN lcc_strategy_config c ON c.strategy_id = s.id WHERE s.user_id = \(bind: userId)
            """
        if let id { query += " AND s.id = \(bind: id)" }
        query += " ORDER BY s.id"
        return try await db.raw(query).all().map { row in
            let underlying = try row.decode(column: "underlying", as: String?.self)
            let coveredCall = try underlying.map { underlying in
                Strategy.CoveredCallConfig(
                    underlying: underlying, lotMethod: try row.enumValue("lcc_method", as: TaxLotMethod.self),
                    rollDaysBeforeExpiry: try row.decode(column: "roll_days_before_expiry", as: Int.self))
            }
            return Strategy(
                id: try row.decode(column: "id", as: Int64.self), userId: try row.decode(column: "user_id", as: Int64.self),
                name: try row.decode(column: "name", as: String.self), kind: try row.enumValue("kind", as: Strategy.Kind.self),
                defaultTaxLotMethod: try row.decode(column: "default_tax_lot_method", as: String?.self).flatMap(
                    TaxLotMethod.init(rawValue:)),
                coveredCall: coveredCall)
        }
    }
}
