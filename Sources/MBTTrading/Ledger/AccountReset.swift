import Foundation
import MBTDomain
import MBTStorage

/// `POST /api/trading/paper/reset` (docs/ledger.md, "Account reset"): an admin puts one paper
/// account back to a fresh start in one transaction through the ledger's one writer — resting
/// orders canceled, open positions archived, cash back to the starting balance, an audit row
/// `paper_account_reset` — so `mbt verify` still reconciles afterwards. Nothing is deleted.
public struct AccountReset: Sendable {
    public let database: any DatabaseClient
    let writer: LedgerWriter
    /// How long the reset's transaction may take before the caller is told the ledger is unavailable.
    let deadline: Duration = .seconds(30)

    public init(database: any DatabaseClient, postFillHook: any PostFillHook) {
        self.database = database
        self.writer = LedgerWriter(database: database, postFillHook: postFillHook)
    }

    /// What a reset did.
    public struct Outcome: Sendable {
        public let userId: Int64
        public let cashBefore: Decimal6
        public let cash: Decimal6
        /// The symbols of the positions archived.
        public let archivedPositions: [String]
        /// The resting orders canceled (multi-leg orders by their parent's id).
        public let canceledOrders: [Int64]
        public let at: Date
    }

    /// Resets the account of `userId`; `admin` is recorded as the actor.
    public func reset(userId: Int64, by admin: User, at now: Date) async throws -> Outcome {
        let writer = self.writer
        let dialect = database.dialect
        // Unique per reset, so a second reset of the same account is a new movement.
        let key = "reset:\(userId):\(UUID().uuidString.lowercased())"
        do {
            return try await database.withTransaction(within: deadline) { db in
                var batch = try await writer.lock([userId], on: db)
                guard let starting = try await LedgerStore.startingBalance(of: userId, on: db) else {
                    throw LedgerError.missingRow("the paper account of user \(userId)")
                }
                let open = try await LedgerStore.lockOpenOrders(ofUser: userId, dialect: dialect, on: db)
                let reset = try batch.reset(userId, startingBalance: starting, openOrders: open, actor: admin.id, at: now, key: key)
                _ = try await writer.write(batch, on: db)
                return Outcome(
                    userId: userId, cashBefore: reset.cashBefore, cash: starting, archivedPositions: reset.archived,
                    canceledOrders: reset.canceled, at: now)
            }
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable("the database did not answer in time, so the account was not reset; send it again")
        }
    }
}
