import ArgumentParser
import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading
import SQLKit

/// `mbt bench bars`: the bar loop's two targets, on a database it fills with resting orders.
///
/// - `tick`: one bar per symbol over `--orders` resting buy limits spread across `--symbols`
///   symbols and `--users` accounts; each bar's low crosses `--crossed-percent` of them. The
///   figure is one `tick()`: claim, fetch, find the crossed limits by index, fill them (ledger,
///   positions, cash, audit), advance the watermarks. Target: 1,000,000 orders, 5,000 symbols, 1%
///   crossed, under 1 s on PostgreSQL.
/// - `catch-up`: a whole missed session (390 bars per symbol, random walks) over `--orders` GTC
///   limits, walked in one tick after "downtime". Target: 390 × 500 symbols, 100,000 orders, < 30 s.
///   Or any workload: `--bars FILE` (a replay file, Alpaca's multi-symbol JSON or CSV) and
///   `--orders FILE` (CSV `id,symbol,side,qty,limit_price,time_in_force`), with `--fills-out FILE`
///   writing the fills as `id,t,price` for an order-by-order comparison (``BenchWorkload``).
/// - `combos`: one tick over `--orders` resting 4-leg iron condors (default 10,000) on
///   `--users` accounts, `--crossed-percent` of them reached by their legs' net mid, so the tick
///   reads the combo book, prices it from the legs' quotes and fills the crossed ones.
///
/// The database must be empty (a fresh SQLite file is made when `--database-url` is not given).
struct BarBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bars", abstract: "Bar loop: one tick over a million resting orders, and a whole missed session.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case tick
        case catchUp = "catch-up"
        case combos
    }

    @Argument(help: "tick, catch-up or combos.") var mode: Mode = .tick
    @Option(help: "Database URL of an empty database (default: a new SQLite file).") var databaseURL: String?
    @Option(
        help: "Resting orders (default 1,000,000 for tick, 100,000 for catch-up, 10,000 combos); for catch-up also a CSV file of them.")
    var orders: String?
    @Option(help: "catch-up: the bars to walk, from a replay file (Alpaca's multi-symbol JSON, or CSV) instead of random walks.")
    var bars: String?
    @Option(help: "catch-up: write the fills here as CSV id,t,price (the ids of --orders FILE).") var fillsOut: String?
    @Option(help: "Symbols (default 5,000 for tick, 500 for catch-up).") var symbols: Int?
    @Option(help: "Accounts the orders belong to.") var users = 1_000
    @Option(help: "Percent of the orders a tick's bars cross.") var crossedPercent = 1
    @Flag(inversion: .prefixedNo, help: "Run the tax ledger as the post-fill hook, as serve does.") var taxLedger = true

    func validate() throws {
        if let orders, let count = Int(orders), !(1...10_000_000).contains(count) { throw ValidationError("--orders must be 1...10000000") }
        if let orders, Int(orders) == nil, mode != .catchUp { throw ValidationError("--orders FILE works with catch-up only; give a count") }
        if (bars != nil || fillsOut != nil) && mode != .catchUp { throw ValidationError("--bars and --fills-out work with catch-up only") }
        if fillsOut != nil && (orders.map { Int($0) != nil } ?? true) { throw ValidationError("--fills-out needs --orders FILE") }
        if let symbols, !(1...100_000).contains(symbols) { throw ValidationError("--symbols must be 1...100000") }
        guard (1...100_000).contains(users) else { throw ValidationError("--users must be 1...100000") }
        guard (1...100).contains(crossedPercent) else { throw ValidationError("--crossed-percent must be 1...100") }
    }

    /// When a minute's bars count as published after the minute.
    static let settle = BarLoopSettings.standard.barSettleDelay

    /// Friday 2026-03-20, 09:30 New York.
    static let open = Date(timeIntervalSince1970: 1_774_013_400)

    func run() async throws {
        try await BenchData.withEmptyDatabase(databaseURL, name: "bars") { database, logger in
            switch mode {
            case .tick: try await benchTick(database, logger: logger)
            case .catchUp: try await benchCatchUp(database, logger: logger)
            case .combos: try await benchCombos(database, logger: logger)
            }
        }
    }

    // MARK: - Tick

    private func benchTick(_ database: any DatabaseClient, logger: Logger) async throws {
        let orderCount = orders.flatMap(Int.init) ?? 1_000_000
        let symbolCount = symbols ?? 5_000
        let bar = Self.open.addingTimeInterval(30 * 60)  // 10:00
        let names = Self.symbolNames(symbolCount)
        let perSymbol = max(1, orderCount / symbolCount)
        // Limits step down from just under 100; the bar's low reaches the top `crossedPercent`.
        let crossedPerSymbol = max(1, perSymbol * crossedPercent / 100)
        let step: Decimal6 = "0.01"
        let low = 100 - (try step.multiplied(by: Int64(crossedPerSymbol)))
        let setup = ContinuousClock.now
        let userIds = try await BenchData.createUsers(users, in: database, at: bar)
        try await BenchData.insertOrders(count: orderCount, in: database) { index in
            let symbol = names[index % symbolCount]
            let rank = Int64(index / symbolCount)
            return BenchData.Order(
                userId: userIds[index % userIds.count], symbol: symbol, limit: 100 - (try! step.multiplied(by: rank + 1)),
                timeInForce: .day, submittedAt: bar.addingTimeInterval(-120))
        }
        print("setup: \(orderCount) resting orders over \(symbolCount) symbols and \(users) accounts in \(Self.seconds(since: setup))")
        // The minute before crosses nothing; walking it first makes the measured tick a steady-state
        // one (watermarks and leases exist), as every tick after the first of a session is.
        let quiet = names.map { Bar(symbol: $0, start: bar.addingTimeInterval(-60), open: 100, high: 100, low: 100, close: 100, volume: 1) }
        let bars = names.map { Bar(symbol: $0, start: bar, open: 100, high: 100, low: low, close: 100, volume: 1_000) }
        let warmUp = try await makeEvaluator(
            database, bars: quiet + bars, clock: FixedClock(bar.addingTimeInterval(Self.settle)), logger: logger
        ).tick()
        print(
            "first tick of the session (creates \(warmUp.symbols) watermarks, crosses nothing): \(Self.format(warmUp.phases.values.reduce(.zero, +)))"
        )
        let evaluator = makeEvaluator(
            database, bars: quiet + bars, clock: FixedClock(bar.addingTimeInterval(60 + Self.settle)), logger: logger)
        let query = ContinuousClock.now
        let candidates = try await RestingOrderStore(database: database).candidates(
            for: bars.map { RestingOrderStore.PriceRange(symbol: $0.symbol, low: $0.low, high: $0.high, start: $0.start) })
        let queryTime = ContinuousClock.now - query
        let started = ContinuousClock.now
        let report = try await evaluator.tick()
        let elapsed = ContinuousClock.now - started
        print(
            "tick: \(report.outcomes.filled) fills of \(candidates.count) crossed orders (of \(orderCount) resting) in \(Self.format(elapsed))"
        )
        print("  finding the crossed orders by index, measured alone before the tick: \(Self.format(queryTime))")
        Self.printProfile(report)
        print("  peak resident memory (setup included): \(PeakMemory.megabytes()) MB")
    }

    // MARK: - Catch-up

    private func benchCatchUp(_ database: any DatabaseClient, logger: Logger) async throws {
        let setup = ContinuousClock.now
        let (walk, orderCount) = try await catchUpWorkload(database)
        let symbolCount = Set(walk.map(\.symbol)).count
        print("setup: \(orderCount) resting orders over \(symbolCount) symbols, \(walk.count) bars, in \(Self.seconds(since: setup))")
        guard let last = walk.map(\.start).max() else { throw CommandFailure("no bars to walk") }
        let clock = FixedClock(last.addingTimeInterval(60 + Self.settle))
        let evaluator = makeEvaluator(database, bars: walk, clock: clock, logger: logger)
        let started = ContinuousClock.now
        let report = try await evaluator.tick()
        let elapsed = ContinuousClock.now - started
        print(
            "catch-up: \(report.bars) bars walked (\(report.barsCaughtUp) caught up), \(report.outcomes.filled) fills, "
                + "\(report.outcomes.expired) expired, \(report.outcomes.canceled) canceled, in \(Self.format(elapsed))")
        Self.printProfile(report)
        print("  peak resident memory: \(PeakMemory.megabytes()) MB")
        if let fillsOut {
            print("fills written to \(fillsOut): \(try await BenchWorkload.writeFills(to: fillsOut, from: database))")
        }
    }

    /// The bars to walk and the resting orders (inserted, submitted an hour before the first bar):
    /// from `--bars` and `--orders` files, or a generated session of random walks and limits.
    private func catchUpWorkload(_ database: any DatabaseClient) async throws -> (bars: [Bar], orders: Int) {
        var generator = SplitMix64(seed: 42)
        let generated = Self.symbolNames(symbols ?? 500)
        let walk: [Bar]
        do {
            walk = try bars.map { try ReplayRecording.bars(inFile: URL(fileURLWithPath: $0)) }
                ?? generated.flatMap { BenchData.randomWalk($0, from: Self.open, minutes: 390, generator: &generator) }
        } catch {
            throw CommandFailure("--bars: \(error)")
        }
        guard let first = walk.map(\.start).min() else { throw CommandFailure("--bars \(bars ?? ""): the file holds no bars") }
        let submitted = first.addingTimeInterval(-3600)
        let userIds = try await BenchData.createUsers(users, in: database, at: first)
        if let orders, Int(orders) == nil {
            let rows = try BenchWorkload.orders(from: orders)
            try await BenchData.insertOrders(count: rows.count, in: database) { index in
                let row = rows[index]
                return BenchData.Order(
                    userId: userIds[index % userIds.count], symbol: row.symbol, side: row.side, limit: row.limit, timeInForce: row.timeInForce,
                    submittedAt: submitted, quantity: row.quantity, clientOrderId: row.id)
            }
            return (walk, rows.count)
        }
        let orderCount = orders.flatMap(Int.init) ?? 100_000
        let names = bars == nil ? generated : Array(Set(walk.map(\.symbol))).sorted()
        try await BenchData.insertOrders(count: orderCount, in: database) { index in
            // Limits from 90 to 100 and 100 to 110: some are crossed during the session, some never.
            let offset = try! Decimal6("0.05").multiplied(by: Int64(index / names.count % 200))
            let buy = index % 2 == 0
            return BenchData.Order(
                userId: userIds[index % userIds.count], symbol: names[index % names.count], side: buy ? .buy : .sell,
                limit: buy ? 100 - offset : 100 + offset, timeInForce: .gtc, submittedAt: submitted)
        }
        return (walk, orderCount)
    }

    // MARK: - Combos

    private func benchCombos(_ database: any DatabaseClient, logger: Logger) async throws {
        let comboCount = orders.flatMap(Int.init) ?? 10_000
        let tick = Self.open.addingTimeInterval(30 * 60)  // 10:00
        let condor = try ComboBenchBook.condor()
        let setup = ContinuousClock.now
        let userIds = try await BenchData.createUsersInBulk(users, in: database, at: tick)
        let crossed = comboCount * crossedPercent / 100
        try await ComboBenchBook.insert(
            count: comboCount, crossed: crossed, condor: condor, userIds: userIds, submittedAt: tick.addingTimeInterval(-120), in: database)
        print(
            "setup: \(comboCount) resting iron condors (\(crossed) crossed by the mids) on \(users) accounts in \(Self.seconds(since: setup))"
        )
        let quotes = condor.quotes(at: tick)
        // The minute before has no quotes yet: that tick creates the book's watermark and fills nothing.
        let warmUp = try await makeEvaluator(
            database, bars: [], quotes: quotes, clock: FixedClock(tick.addingTimeInterval(-30)), logger: logger
        ).tick()
        print("first tick (creates the book's watermark, fills nothing): \(Self.format(warmUp.phases.values.reduce(.zero, +)))")
        let evaluator = makeEvaluator(database, bars: [], quotes: quotes, clock: FixedClock(tick.addingTimeInterval(30)), logger: logger)
        let started = ContinuousClock.now
        let report = try await evaluator.tick()
        let elapsed = ContinuousClock.now - started
        print("tick: \(report.outcomes.filled) combos filled (4 legs each) of \(comboCount) resting in \(Self.format(elapsed))")
        Self.printProfile(report)
    }

    // MARK: - Helpers

    private func makeEvaluator(
        _ database: any DatabaseClient, bars: [Bar], quotes: [Quote] = [], clock: FixedClock, logger: Logger
    ) -> RestingOrderEvaluator {
        let market = ReplayMarket(recording: ReplayRecording(quotes: quotes, bars: bars), clock: clock)
        let marketData = MarketDataService(
            provider: market, clock: clock,
            accessLog: AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: logger))
        let hook: any PostFillHook = taxLedger ? TaxLedger(database: database, logger: logger) : NoPostFillHook()
        return RestingOrderEvaluator(
            database: database, marketData: marketData, owner: "bench", leaseClock: clock, postFillHook: hook, logger: logger)
    }

    private static func printProfile(_ report: RestingOrderEvaluator.TickReport) {
        for (phase, duration) in report.phases.sorted(by: { $0.value > $1.value }) {
            print("  \(phase): \(format(duration))")
        }
    }

    /// A session of flat one-minute bars at `price`.
    static func flatSession(_ symbol: String, from open: Date, price: Decimal6) -> [Bar] {
        (0..<390).map { minute in
            Bar(
                symbol: symbol, start: open.addingTimeInterval(Double(minute) * 60), open: price, high: price, low: price, close: price,
                volume: 100)
        }
    }

    static func symbolNames(_ count: Int) -> [String] {
        (0..<count).map { "B" + TaxBenchFills.symbol($0) }
    }

    static func seconds(since start: ContinuousClock.Instant) -> String { format(ContinuousClock.now - start) }

    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(milliseconds) ms"
    }
}
