import Foundation

/// A user's one paper account: the cash side of the ledger.
public struct PaperAccount: Sendable, Hashable {
    public enum Status: String, Sendable, Codable {
        case active
        case suspended
    }

    /// What every new account starts with.
    public static let defaultStartingBalance: Decimal6 = 100_000

    public let id: Int64
    public let userId: Int64
    public let startingBalance: Decimal6
    public let cashBalance: Decimal6
    public let status: Status
    public let defaultTaxLotMethod: TaxLotMethod
    public let createdAt: Date

    public init(
        id: Int64,
        userId: Int64,
        startingBalance: Decimal6,
        cashBalance: Decimal6,
        status: Status,
        defaultTaxLotMethod: TaxLotMethod,
        createdAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.startingBalance = startingBalance
        self.cashBalance = cashBalance
        self.status = status
        self.defaultTaxLotMethod = defaultTaxLotMethod
        self.createdAt = createdAt
    }
}
