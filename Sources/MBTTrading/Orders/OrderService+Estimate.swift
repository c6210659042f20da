import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage

extension OrderService {
    /// What the ticket `request` would cost and leave of buying power if it were sent now: the
    /// order validated as a submission is, the market's listing, the same marks the submit path
    /// fetches, and the account as ``OrderAdmission`` sees it (read, not locked: an estimate
    /// changes nothing). A malformed ticket throws ``TradingError/invalid(_:)`` with the message a
    /// submission would get.
    public func estimate(_ request: OrderRequest, for user: User) async throws -> OrderEstimate {
        let order: ValidatedOrder
        switch OrderValidator.validate(request, limits: limits) {
        case .success(let validated): order = validated
        case .failure(let rejection): throw TradingError.invalid(rejection)
        }
        if let listing = try await listing(of: order.instrument, at: marketData.clock.now()) { throw TradingError.invalid(listing) }
        let marks = try await marks(for: [order.symbol], user: user)
        let userId = user.id
        let account = try await read { db in
            try LedgerAccount(
                userId: userId, cash: try await LedgerStore.cash([userId], on: db)[userId] ?? .zero,
                positions: try await LedgerStore.openPositions([userId], on: db),
                openOrders: try await OpenOrderTotals.read([userId], on: db),
                reservedByStructures: try await LedgerStore.openComboReservations([userId], on: db)[userId] ?? .zero
            ).buyingPower(marks: marks)
        }
        return try OrderEstimate.of(order, marks: marks, account: account)
    }
}
