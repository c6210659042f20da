import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.eod_snapshot`: one `mbt_eod_snapshots` row per account for the trading day: cash, equity
/// and the positions marked at the close (stocks at the session's last one-minute bar close,
/// options at their quote mid, else average cost). Existing rows are kept, so a re-run writes nothing.
struct SnapshotJob: JobAction {
    static let accountsPerBatch = 500

    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        guard let session = context.calendar.session(on: date) else { return JobReport(detail: "not a trading day") }
        let userIds = try await context.database.withConnection { db in
            try await db.select().column("user_id").from("paper_accounts").orderBy("user_id").all()
                .map { try $0.decode(column: "user_id", as: Int64.self) }
        }
        var report = JobReport()
        for (chunk, result) in await context.inBatches(
            userIds, size: Self.accountsPerBatch,
            { chunk in
                try await snapshot(chunk, on: date, session: session, context: context)
            })
        {
            switch result {
            case .success(let (accounts, rows)):
                report.accounts += accounts
                report.rowsWritten += rows
            case .failure(let error):
                report.failures.append("users \(chunk.first ?? 0)…\(chunk.last ?? 0): \(error)")
            }
        }
        return report
    }

    /// Snapshots of the accounts; returns how many were taken and how many rows were new.
    private func snapshot(_ userIds: [Int64], on date: MarketDate, session: TradingSession, context: JobContext) async throws
        -> (accounts: Int, rows: Int)
    {
        let (cash, positions) = try await context.database.withConnection { db in
            (try await LedgerStore.cash(userIds, on: db), try await LedgerStore.openPositions(userIds, on: db))
        }
        let marks = try await closingMarks(Set(positions.map(\.position.symbol)), session: session, context: context)
        let byUser = Dictionary(grouping: positions, by: \.userId)
        let snapshots = try userIds.compactMap { userId -> SnapshotStore.Snapshot? in
            guard let balance = cash[userId] else { return nil }
            return try Self.snapshot(userId: userId, date: date, cash: balance, positions: byUser[userId] ?? [], marks: marks)
        }
        let rows = try await SnapshotStore(database: context.database).insert(snapshots, at: context.marketData.clock.now())
        return (snapshots.count, rows)
    }

    /// The close of each stock (the last bar of the session) and the mid of each option.
    private func closingMarks(_ symbols: Set<String>, session: TradingSession, context: JobContext) async throws -> Marks {
        let stocks = symbols.filter { !OptionSymbol.isOptionSymbol($0) }
        let options = symbols.filter(OptionSymbol.isOptionSymbol)
        var closes: [String: Decimal6] = [:]
        if !stocks.isEmpty {
            let bars = try await context.marketData.minuteBars(
                Array(stocks), from: session.close.addingTimeInterval(-30 * 60), to: session.close, for: [])
            for (symbol, series) in bars { closes[symbol] = series.last?.close }
        }
        let quotes = options.isEmpty ? [:] : try await context.marketData.anyQuotes(Array(options), for: [])
        return Marks(quotes: quotes, barCloses: closes)
    }

    static func snapshot(
        userId: Int64, date: MarketDate, cash: Decimal6, positions: [LedgerStore.PositionRow], marks: Marks
    ) throws -> SnapshotStore.Snapshot {
        var equity = cash
        var rows: [PositionJSON] = []
        for row in positions.sorted(by: { $0.position.symbol < $1.position.symbol }) {
            let position = row.position
            let mark = marks.mark(position.symbol, averageCost: position.averageCost)
            let value = try mark.price.multiplied(by: position.signedQuantity.multiplied(by: position.multiplier))
            equity += value
            rows.append(
                PositionJSON(
                    symbol: position.symbol, side: position.side.rawValue, qty: position.quantity.description,
                    avgCost: position.averageCost.description, mark: mark.price.description, markSource: mark.source.rawValue,
                    marketValue: value.description))
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(rows), as: UTF8.self)
        return SnapshotStore.Snapshot(userId: userId, date: date, equity: equity, cash: cash, positionsJSON: json)
    }

    /// A position in the snapshot's JSON: decimals as strings, as everywhere in MBT.
    struct PositionJSON: Encodable {
        let symbol: String
        let side: String
        let qty: String
        let avgCost: String
        let mark: String
        let markSource: String
        let marketValue: String
    }
}
