import MBTDomain
import SQLKit

/// Writes market-data access rows (record SC-4) in multi-row inserts.
public struct MarketDataAccessLogStore: MarketDataAccessRecorder {
    public let database: any DatabaseClient
    /// Rows per INSERT statement; keeps bind counts under both engines' limits.
    private static let rowsPerStatement = 1000

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public func record(_ accesses: [MarketDataAccess]) async throws {
        guard !accesses.isEmpty else { return }
        try await database.withTransaction { db in
            for start in stride(from: 0, to: accesses.count, by: Self.rowsPerStatement) {
                let insert = db.insert(into: "market_data_access_log")
                    .columns("user_id", "symbol", "data_type", "fetched_at", "source")
                for access in accesses[start..<min(start + Self.rowsPerStatement, accesses.count)] {
                    insert.values(
                        SQLBind(access.userId), SQLBind(access.symbol), SQLBind(access.dataType.rawValue),
                        SQLBind(StoredTimestamp(access.fetchedAt)), SQLBind(access.source))
                }
                try await insert.run()
            }
        }
    }

    /// Rows recorded in all, for operators and benchmarks.
    public func count() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("market_data_access_log")
                .first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }
}
