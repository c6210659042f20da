import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// A holder's early exercise of a long option position (docs/jobs.md, "Early exercise"): the
/// outcome ``OptionExpiry/exercise(_:underlyingPrice:)`` decides, booked by the expiry job's own
/// ``ExpiryJob/post(_:userId:at:to:)`` through the ledger's one writer, so the fills carry the rule
/// `exercise` and positions, cash, the audit trail, activities and the tax engine follow as they do
/// at expiry.
extension OrderService {
    /// What an exercise wrote.
    public struct Exercised: Sendable {
        public let outcome: OptionExpiry
        /// The option's closing order, then (physical delivery) the shares' order, both filled.
        public let orders: [PaperOrder]
    }

    /// Exercises every contract of the user's long position in `symbol` while a session is open.
    public func exercise(_ symbol: String, for user: User) async throws -> Exercised {
        let now = marketData.clock.now()
        try requireOpenSession(at: now)
        let held = try await read { db in try await LedgerStore.openPositions([user.id], on: db) }
        guard let position = held.first(where: { $0.position.symbol == symbol })?.position else { throw ExerciseError.noPosition(symbol) }
        let contract = try Self.exercisable(position, on: MarketDate(containing: now))
        let underlying = IndexOptionRoots.settlementSymbol(of: contract.root)
        let marks = try await marks(for: [underlying, symbol], user: user)
        guard let price = marks.quotes[underlying].map(\.mid) ?? marks.barCloses[underlying], price.isPositive else {
            throw ExerciseError.noPrice(underlying)
        }
        do {
            return try await database.withTransaction(within: deadline) { [self] db in
                try await settle(symbol, user: user, underlyingPrice: price, marks: marks, at: now, on: db)
            }
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable("the database did not answer in time; read the positions to see whether it was exercised")
        }
    }

    /// Under the account's lock: the position read again (a fill or another exercise may have
    /// changed it), the outcome judged, and both trades written by the ledger's one writer.
    private func settle(
        _ symbol: String, user: User, underlyingPrice: Decimal6, marks: Marks, at now: Date, on db: any SQLDatabase
    ) async throws -> Exercised {
        var batch = try await writer.lock([user.id], on: db)
        let account = try batch.account(user.id)
        guard let tracked = account.positions[symbol] else { throw ExerciseError.noPosition(symbol) }
        _ = try Self.exercisable(tracked.position, on: MarketDate(containing: now))
        let outcome: OptionExpiry
        do {
            outcome = try OptionExpiry.exercise(tracked.position, underlyingPrice: underlyingPrice)
        } catch {
            throw ExerciseError.refused(OrderRejection(.invalidQuantity, error.description))
        }
        try Self.check(outcome, account: account, marks: marks, underlyingPrice: underlyingPrice)
        try ExpiryJob.post(outcome, userId: user.id, at: now, to: &batch)
        let written = try await writer.write(batch, on: db)
        return Exercised(outcome: outcome, orders: written.newOrders)
    }

    private func requireOpenSession(at now: Date) throws {
        let today = MarketDate(containing: now)
        guard let session = calendar.session(on: today) else {
            throw ExerciseError.marketClosed("\(today) is not a trading day")
        }
        guard now >= session.open, now < session.close else {
            throw ExerciseError.marketClosed("the session of \(today) is not open at this time")
        }
    }

    /// The position's contract when it is a long option position that has not expired before `today`.
    private static func exercisable(_ position: Position, on today: MarketDate) throws -> OptionSymbol {
        guard position.assetClass == .option, let contract = try? OptionSymbol(parsing: position.symbol) else {
            throw ExerciseError.notAnOption(position.symbol)
        }
        guard position.side == .long else { throw ExerciseError.shortPosition(position.symbol) }
        guard contract.expiry >= today else { throw ExerciseError.expired(symbol: position.symbol, expiry: contract.expiry) }
        return contract
    }

    /// The buying-power rule (docs/buying-power.md) judges the delivered shares as an order at the
    /// strike, on the account without the exercised contracts; the contracts must not be held for
    /// open orders, and removing them must not leave what they covered (a spread's short leg)
    /// beyond the account's free cash.
    private static func check(_ outcome: OptionExpiry, account: LedgerAccount, marks: Marks, underlyingPrice: Decimal6) throws {
        let symbol = outcome.optionClose.symbol
        let held = account.openOrders.filter { $0.key.symbol == symbol && $0.key.side == .sell }.reduce(Decimal6.zero) { $0 + $1.value }
        guard !held.isPositive else { throw ExerciseError.heldForOrders(symbol: symbol, held: held) }
        let before = try account.buyingPower(marks: marks)
        var after = before
        after.positions.removeAll { $0.symbol == symbol }
        after.cash = after.cash + (outcome.cashAmount ?? .zero)
        let (freeBefore, freeAfter) = (try before.breakdown().freeCash, try after.breakdown().freeCash)
        if freeAfter < .zero, freeAfter < freeBefore {
            throw ExerciseError.refused(
                OrderRejection(
                    .insufficientBuyingPower,
                    "\(symbol) covers other options in the account; without it buying power would be \(freeAfter); close those first"))
        }
        guard let stock = outcome.stockTrade else { return }
        let instrument = OrderInstrument.equity(stock.symbol)
        let price =
            BuyingPower.estimatedPrice(
                side: stock.side, instrument: instrument, limit: stock.price, quote: marks.quotes[stock.symbol], mark: underlyingPrice)
            ?? stock.price
        if case .rejected(let rejection) = BuyingPower.check(
            instrument: instrument, side: stock.side, quantity: stock.quantity, estimatedPrice: price, account: after)
        {
            throw ExerciseError.refused(rejection)
        }
    }
}
