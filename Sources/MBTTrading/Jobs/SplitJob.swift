import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.stock_split_adjustment`: stock splits effective on the run date, from the market's
/// corporate actions, applied at 07:00 New York before the open (docs/jobs.md). For every account
/// holding the stock or resting an order in it, under the account's lock and through the ledger's
/// one writer:
///
/// - the position is rescaled by an order filled at no price (rule `split`), so `mbt verify` still
///   finds positions equal to their fills, and the tax engine rescales the lots (``TaxEvent/Action/split``);
/// - a fraction of a share left on a whole-share position is sold (bought back, short) at the
///   previous close per post-split share (rule `cash_in_lieu`), a taxable sale of that fraction;
/// - each resting order is replaced by one rescaled as brokers do, or canceled when nothing is left
///   (the split rules of `SplitAdjustment`).
///
/// The split order carries the client order id `split:<action id>`, unique per account: a re-run
/// finds it and leaves the account alone; replacement orders are submitted at the run instant and
/// named after the split, so they are never rescaled twice.
struct SplitJob: JobAction {
    static let accountsPerBatch = 500

    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        let splits = try await context.marketData.corporateActions(from: date, through: date).filter { $0.isSplit && $0.exDate == date }
        var report = JobReport(detail: "\(splits.count) split(s)")
        for action in splits {
            do {
                let split = try SplitAdjustment(action)
                let close = try await previousClose(split.symbol, before: date, context: context)
                let userIds = try await context.database.withConnection { db in
                    Set(try await LedgerStore.holders(of: split.symbol, on: db) + LedgerStore.openOrderOwners(in: split.symbol, on: db))
                        .sorted()
                }
                for (chunk, result) in await context.inBatches(
                    userIds, size: Self.accountsPerBatch,
                    { chunk in
                        try await apply(split, previousClose: close, to: chunk, on: date, context: context)
                    })
                {
                    switch result {
                    case .success(let written):
                        report.accounts += written.accounts
                        report.rowsWritten += written.rows
                        report.failures += written.failures
                    case .failure(let error):
                        report.failures.append("\(action.id) for users \(chunk.first ?? 0)…\(chunk.last ?? 0): \(error)")
                    }
                }
            } catch {
                report.failures.append("\(action.id): \(error)")
            }
        }
        return report
    }

    /// The last regular-session close before `date` as it traded (not split-adjusted), or `nil`
    /// when the market has no bar for it.
    private func previousClose(_ symbol: String, before date: MarketDate, context: JobContext) async throws -> Decimal6? {
        guard let session = context.calendar.session(on: context.calendar.previousTradingDay(before: date)) else { return nil }
        let bars = try await context.marketData.minuteBars([symbol], from: session.open, to: session.close, for: [])
        return bars[symbol]?.last?.close
    }

    private struct Written {
        var accounts = 0
        var rows = 0
        var failures: [String] = []
    }

    private func apply(
        _ split: SplitAdjustment, previousClose: Decimal6?, to userIds: [Int64], on date: MarketDate, context: JobContext
    ) async throws -> Written {
        let at = date.at(hour: 7, minute: 0)
        let marker = "split:\(split.actionID)"
        return try await context.database.withTransaction(within: .seconds(60)) { db in
            var batch = try await context.writer.lock(userIds, on: db)
            let done = Set(try await LedgerStore.orders(clientOrderIds: userIds.map { ($0, marker) }, on: db).map(\.userId))
            let orders = Dictionary(
                grouping: try await LedgerStore.lockOpenOrders(in: split.symbol, of: userIds, dialect: context.database.dialect, on: db),
                by: \.userId)
            var written = Written()
            for userId in userIds {
                var changed = false
                if !done.contains(userId), let held = try batch.account(userId).positions[split.symbol]?.position, held.openedAt < at {
                    guard let previousClose else {
                        written.failures.append(
                            "user \(userId) \(split.symbol): the market has no close before \(date) to pay cash in lieu")
                        continue
                    }
                    try Self.rescale(held, by: split, previousClose: previousClose, userId: userId, marker: marker, at: at, to: &batch)
                    changed = true
                }
                for order in orders[userId] ?? [] where order.submittedAt < at && !(order.clientOrderId ?? "").hasPrefix(marker) {
                    try Self.adjust(order, by: split, marker: marker, at: at, to: &batch)
                    changed = true
                }
                if changed { written.accounts += 1 }
            }
            let result = try await context.writer.write(batch, on: db)
            written.rows = result.filled + result.canceled
            return written
        }
    }

    /// The position rescaled by a fill at no price, then the fraction of a share paid in lieu.
    static func rescale(
        _ position: Position, by split: SplitAdjustment, previousClose: Decimal6, userId: Int64, marker: String, at: Date,
        to batch: inout LedgerBatch
    ) throws {
        let result = try split.adjust(position, unadjustedPreviousClose: previousClose)
        let exact = (result.position?.quantity ?? .zero) + result.fractionalShares
        let averageCost = try result.position?.averageCost ?? split.scaledPrice(position.averageCost, rounding: .toNearestOrEven)
        let change = exact - position.quantity
        guard !change.isZero else { return }
        // A long grows by buying, a short by selling.
        let side: OrderSide = (change.isPositive == (position.side == .long)) ? .buy : .sell
        let after = Position(
            symbol: position.symbol, assetClass: .usEquity, side: position.side, quantity: exact, averageCost: averageCost,
            openedAt: position.openedAt)
        let index = try batch.place(
            order(userId, split.symbol, side, change.magnitude, marker, at), replacing: nil, actor: nil, settlement: true)
        try batch.split(
            .new(index), with: fill(split.symbol, side, change.magnitude, price: .zero, rule: .split, source: .splitRatio, at), to: after)
        guard result.fractionalShares.isPositive else { return }
        let closing: OrderSide = position.side == .long ? .sell : .buy
        let lieu = try batch.place(
            order(userId, split.symbol, closing, result.fractionalShares, marker + ":in-lieu", at), replacing: nil, actor: nil,
            settlement: true)
        let price = result.cashInLieuPrice ?? .zero
        try batch.fill(
            .new(lieu),
            with: fill(split.symbol, closing, result.fractionalShares, price: price, rule: .cashInLieu, source: .previousClose, at))
    }

    /// A resting order replaced by its rescaled self, or canceled when nothing sensible is left.
    static func adjust(_ order: PaperOrder, by split: SplitAdjustment, marker: String, at: Date, to batch: inout LedgerBatch) throws {
        guard let resting = RestingOrder(order) else { return }
        switch try split.adjust(resting) {
        case .adjusted(let adjusted, let explanation):
            let row = OrderStore.NewOrder(
                userId: order.userId, symbol: order.symbol, assetClass: order.assetClass, side: order.side, quantity: adjusted.quantity,
                type: order.type, timeInForce: order.timeInForce, limitPrice: adjusted.limitPrice, status: order.status, submittedAt: at,
                clientOrderId: "\(marker):\(order.id)", replacesOrderId: order.id)
            try batch.place(row, replacing: order, actor: nil, reason: explanation)
        case .canceled(let reason):
            batch.close(order, as: .canceled, reason: reason, actor: nil, at: at)
        }
    }

    private static func order(
        _ userId: Int64, _ symbol: String, _ side: OrderSide, _ quantity: Decimal6, _ clientOrderId: String, _ at: Date
    )
        -> OrderStore.NewOrder
    {
        OrderStore.NewOrder(
            userId: userId, symbol: symbol, assetClass: .usEquity, side: side, quantity: quantity, type: .market, timeInForce: .day,
            limitPrice: nil, status: .accepted, submittedAt: at, clientOrderId: clientOrderId)
    }

    private static func fill(
        _ symbol: String, _ side: OrderSide, _ quantity: Decimal6, price: Decimal6, rule: FillRule, source: FillPriceSource, _ at: Date
    ) -> Fill {
        Fill(
            symbol: symbol, side: side, price: price, quantity: quantity, multiplier: 1, rule: rule, priceSource: source, nbboBid: nil,
            nbboAsk: nil, slippageBasis: nil, pricedAt: at)
    }
}
