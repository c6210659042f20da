import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.assignment_at_expiry`, 15 minutes after the close: every open option position expiring
/// that day is settled on its underlying's official price (docs/jobs.md): the last regular-session
/// bar's close, or the first bar's open for AM-settled index monthlies, else (run the same day) the
/// quote mid. ``OptionExpiry`` decides: exercised, assigned, cash-settled or expired worthless.
/// Each outcome is written through the ledger's one writer as orders and fills with the rule
/// named (`expiry`, `exercise`, `assignment`, `cash_settlement`), so positions, cash, the audit
/// trail, activities and the tax engine follow. Positions are read under their accounts' locks,
/// and a settled option is no longer open: a re-run finds nothing to do.
struct ExpiryJob: JobAction {
    static let accountsPerBatch = 200

    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        guard let session = context.calendar.session(on: date) else { return JobReport(detail: "not a trading day") }
        let expiring = try await context.database.withConnection { db in try await LedgerStore.openOptionPositions(on: db) }
            .filter { (try? OptionSymbol(parsing: $0.symbol))?.expiry == date }
        guard !expiring.isEmpty else { return JobReport(detail: "no option expires") }
        let contracts = Set(expiring.compactMap { try? OptionSymbol(parsing: $0.symbol) })
        let prices = try await settlementPrices(contracts, session: session, context: context)
        var report = JobReport(detail: "\(expiring.count) position(s) expiring")
        let accounts = Array(Set(expiring.map(\.userId))).sorted()
        for (chunk, result) in await context.inBatches(
            accounts, size: Self.accountsPerBatch,
            { chunk in
                try await settle(chunk, on: date, at: session.close, prices: prices, context: context)
            })
        {
            switch result {
            case .success(let (settled, failures)):
                report.accounts += Set(settled.map(\.userId)).count
                report.rowsWritten += settled.count
                report.failures += failures
            case .failure(let error):
                report.failures.append("users \(chunk.first ?? 0)…\(chunk.last ?? 0): \(error)")
            }
        }
        return report
    }

    /// The settlement price of each contract's underlying, where the market has one.
    private func settlementPrices(_ contracts: Set<OptionSymbol>, session: TradingSession, context: JobContext) async throws
        -> [OptionSymbol: Decimal6]
    {
        let symbols = Set(contracts.map { IndexOptionRoots.settlementSymbol(of: $0.root) })
        let bars = try await context.marketData.minuteBars(Array(symbols), from: session.open, to: session.close, for: [])
        let now = context.marketData.clock.now()
        // Quotes stand in for a missing bar only on the expiry day itself: later they are not that day's.
        let quotes = MarketDate(containing: now) == session.date ? try await context.marketData.anyQuotes(Array(symbols), for: []) : [:]
        var prices: [OptionSymbol: Decimal6] = [:]
        for contract in contracts {
            let symbol = IndexOptionRoots.settlementSymbol(of: contract.root)
            let series = bars[symbol] ?? []
            let price = OptionExpiry.settlesAtOpen(contract, calendar: context.calendar) ? series.first?.open : series.last?.close
            if let price = price ?? quotes[symbol].map(\.mid) { prices[contract] = price }
        }
        return prices
    }

    private func settle(
        _ userIds: [Int64], on date: MarketDate, at close: Date, prices: [OptionSymbol: Decimal6], context: JobContext
    ) async throws -> (settled: [OptionExpiry.SettledPosition], failures: [String]) {
        try await context.database.withTransaction(within: .seconds(60)) { db in
            var batch = try await context.writer.lock(userIds, on: db)
            var settled: [OptionExpiry.SettledPosition] = []
            var failures: [String] = []
            for userId in userIds {
                for (symbol, tracked) in try batch.account(userId).positions.sorted(by: { $0.key < $1.key }) {
                    guard let contract = try? OptionSymbol(parsing: symbol), contract.expiry == date else { continue }
                    guard let price = prices[contract] else {
                        failures.append(
                            "user \(userId) \(symbol): the market has no \(date) price for \(IndexOptionRoots.settlementSymbol(of: contract.root))"
                        )
                        continue
                    }
                    let outcome = try OptionExpiry.settle(tracked.position, on: date, underlyingPrice: price)
                    try Self.post(outcome, userId: userId, at: close, to: &batch)
                    settled.append(.init(userId: userId, outcome: outcome))
                }
            }
            _ = try await context.writer.write(batch, on: db)
            for account in settled.map(\.userId) where (try? batch.account(account).cash.isNegative) == true {
                context.logger.warning("an exercise left the account's cash below zero", metadata: ["user": "\(account)"])
            }
            return (settled, failures)
        }
    }

    /// The option's closing order and fill, and the delivered shares' order and fill.
    static func post(_ outcome: OptionExpiry, userId: Int64, at close: Date, to batch: inout LedgerBatch) throws {
        let rule = FillRule(rawValue: outcome.rule.rawValue) ?? .expiry
        let option = outcome.optionClose
        try trade(
            userId: userId, symbol: option.symbol, assetClass: .option, side: option.side, quantity: option.quantity, price: option.price,
            rule: rule, source: .intrinsic, at: close, to: &batch)
        if let stock = outcome.stockTrade {
            try trade(
                userId: userId, symbol: stock.symbol, assetClass: .usEquity, side: stock.side, quantity: stock.quantity, price: stock.price,
                rule: rule, source: .strike, at: close, to: &batch)
        }
    }

    private static func trade(
        userId: Int64, symbol: String, assetClass: AssetClass, side: OrderSide, quantity: Decimal6, price: Decimal6, rule: FillRule,
        source: FillPriceSource, at: Date, to batch: inout LedgerBatch
    ) throws {
        let row = OrderStore.NewOrder(
            userId: userId, symbol: symbol, assetClass: assetClass, side: side, quantity: quantity, type: .market, timeInForce: .day,
            limitPrice: nil, status: .accepted, submittedAt: at)
        let index = try batch.place(row, replacing: nil, actor: nil, settlement: true)
        try batch.fill(
            .new(index),
            with: Fill(
                symbol: symbol, side: side, price: price, quantity: quantity,
                multiplier: assetClass == .option ? OptionSymbol.contractMultiplier : 1,
                rule: rule, priceSource: source, nbboBid: nil, nbboAsk: nil, slippageBasis: nil, pricedAt: at))
    }
}

extension OptionExpiry {
    /// One position the expiry job settled.
    struct SettledPosition: Sendable {
        let userId: Int64
        let outcome: OptionExpiry
    }
}
