import Foundation

/// One row of the market-data access log: which user a piece of market data served.
///
/// Every fetch, whoever triggered it, records one of these per user served (record SC-4: the
/// licensing audit trail).
public struct MarketDataAccess: Sendable, Hashable {
    public enum DataType: String, Sendable, Codable, CaseIterable {
        case quote
        case bar
        case chain
        /// Dividends and splits (`/v1/corporate-actions`), one row per symbol served.
        case corporateAction = "corporate_action"
    }

    public let userId: Int64
    public let symbol: String
    public let dataType: DataType
    public let fetchedAt: Date
    /// Where the data came from: `alpaca`, `simulated`, `replay`.
    public let source: String

    public init(userId: Int64, symbol: String, dataType: DataType, fetchedAt: Date, source: String) {
        self.userId = userId
        self.symbol = symbol
        self.dataType = dataType
        self.fetchedAt = fetchedAt
        self.source = source
    }
}

/// Where access-log rows go (the database in production, memory in tests).
public protocol MarketDataAccessRecorder: Sendable {
    func record(_ accesses: [MarketDataAccess]) async throws
}
