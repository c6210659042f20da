import Foundation
import MBTDomain
import MBTMarketData
import MBTServer
import MBTStorage
import MBTTestSupport
import MBTTrading
import Testing

@Suite("The bar loop as a service: ticks when a minute is published, survives failures")
struct BarLoopServiceTests {
    /// Friday 2026-03-20, 10:00 New York.
    static let start = Date(timeIntervalSince1970: 1_774_015_200)

    @Test("a resting limit fills once the clock passes the bar that crosses it; the monitor reports the loop live")
    func ticksAsTheClockMoves() async throws {
        try await TestDatabase.withFresh { database in
            let clock = ManualClock(Self.start)
            let bars = (0..<5).map { minute in
                let low: Decimal6 = minute == 3 ? 169 : 171
                return Bar(symbol: "AAPL", start: Self.start.addingTimeInterval(Double(minute) * 60), open: 171, high: 171, low: low, close: 171, volume: 1)
            }
            let market = ReplayMarket(recording: ReplayRecording(quotes: [], bars: bars), clock: clock)
            let marketData = MarketDataService(
                provider: market, clock: clock,
                accessLog: AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger))
            let user = try await UserStore(database: database).create(name: "trader", at: Self.start).user
            let order = try await database.withTransaction { db in
                try await OrderStore(database: database).insert(
                    OrderStore.NewOrder(
                        userId: user.id, symbol: "AAPL", assetClass: .usEquity, side: .buy, quantity: 1, type: .limit, timeInForce: .day,
                        limitPrice: 170, status: .accepted, submittedAt: Self.start),
                    on: db)
            }
            let monitor = BarLoopMonitor()
            let evaluator = RestingOrderEvaluator(
                database: database, marketData: marketData, owner: "service-test", leaseClock: clock, monitor: monitor,
                logger: TestDatabase.logger)
            let service = BarLoopService(evaluator: evaluator, pollInterval: .milliseconds(10), logger: TestDatabase.logger)
            let running = Task { try await service.run() }
            defer { running.cancel() }
            clock.set(Self.start.addingTimeInterval(2 * 60 + 10))
            try await Self.waitUntil { await monitor.current.lastBarAt == Self.start.addingTimeInterval(60) }
            #expect(await monitor.current.state == .caughtUp)  // two minutes in the first tick
            #expect(try await OrderStore(database: database).order(id: order.id, userId: user.id)?.status == .accepted)
            clock.set(Self.start.addingTimeInterval(3 * 60 + 10))
            try await Self.waitUntil { await monitor.current.lastBarAt == Self.start.addingTimeInterval(120) }
            clock.set(Self.start.addingTimeInterval(4 * 60 + 10))
            try await Self.waitUntil { try await OrderStore(database: database).order(id: order.id, userId: user.id)?.status == .filled }
            #expect(await monitor.current.state == .live)
            running.cancel()
            _ = await running.result
            // Shutting down hands the symbols back.
            #expect(try await BarWatermarkStore(database: database).claim(["AAPL"], owner: "other", now: Self.start, until: Self.start).count == 1)
        }
    }

    /// Waits for the service to get there; generous, since a machine running the whole suite at
    /// once can starve one test's loop for seconds (nothing here measures speed).
    static func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 60 s")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
