import Foundation
import Logging
import MBTDomain
import MBTStorage
import MBTTestSupport
import MBTTrading
import NIOCore
import SQLKit
import Synchronization
import Testing

/// The tax ledger's batch entry point, as the bar loop calls it: accounts caught up together leave
/// exactly the rows each account caught up alone leaves, and a recalculation leaves, whatever
/// state each account is in; one account's trouble stays its own; and a batch costs the same
/// number of statements whatever its size.
@Suite("Tax ledger: batches of accounts")
struct TaxLedgerBatchTests {
    typealias Fixture = TaxLedgerFixture

    static func day(_ index: Int) -> MarketDate { Fixture.tradingDay(index) }

    /// One account's part of the scenario: fills taxed earlier (by the ledger under test, so its
    /// cache holds the book; by another process, so the version is stored but this cache is cold;
    /// or by nobody), then fills written without the hook, which the final call must take.
    struct Situation: Sendable {
        enum Earlier: Sendable { case thisLedger, otherLedger, untaxed }

        let name: String
        let earlier: Earlier
        let before: [Trade]
        let after: [Trade]
    }

    struct Trade: Sendable {
        let side: OrderSide
        let quantity: Decimal6
        let symbol: String
        let price: Decimal6
        let day: Int
        var minute = 0
    }

    static func buy(_ quantity: Decimal6, _ symbol: String, _ price: Decimal6, day: Int, minute: Int = 0) -> Trade {
        Trade(side: .buy, quantity: quantity, symbol: symbol, price: price, day: day, minute: minute)
    }

    static func sell(_ quantity: Decimal6, _ symbol: String, _ price: Decimal6, day: Int, minute: Int = 0) -> Trade {
        Trade(side: .sell, quantity: quantity, symbol: symbol, price: price, day: day, minute: minute)
    }

    static let situations: [Situation] = [
        Situation(
            name: "in order, cache warm", earlier: .thisLedger, before: [buy(10, "AAPL", 100, day: 0), buy(5, "MSFT", 50, day: 1)],
            after: [sell(4, "AAPL", 110, day: 2), sell(6, "AAPL", 90, day: 3), buy(6, "AAPL", 95, day: 5)]),
        Situation(
            name: "in order, cache cold", earlier: .otherLedger, before: [buy(10, "AAPL", 100, day: 0), buy(5, "MSFT", 50, day: 1)],
            after: [sell(4, "AAPL", 110, day: 2), sell(6, "AAPL", 90, day: 3), buy(6, "AAPL", 95, day: 5)]),
        Situation(
            name: "never taxed", earlier: .untaxed, before: [buy(10, "AAPL", 100, day: 0)],
            after: [sell(10, "AAPL", 90, day: 1), buy(10, "AAPL", 95, day: 2)]),
        Situation(
            name: "out of order, cache warm", earlier: .thisLedger, before: [buy(10, "AAPL", 100, day: 0), sell(10, "AAPL", 80, day: 5)],
            after: [buy(5, "AAPL", 90, day: 3)]),
        Situation(
            name: "out of order, cache cold", earlier: .otherLedger, before: [buy(10, "AAPL", 100, day: 0), sell(10, "AAPL", 80, day: 5)],
            after: [buy(5, "AAPL", 90, day: 3)]),
        Situation(
            name: "a fill the engine refuses", earlier: .thisLedger, before: [buy(10, "MSFT", 50, day: 0)],
            after: [buy(1, "not a symbol", 10, day: 1), sell(10, "MSFT", 55, day: 2)]),
        Situation(name: "already caught up", earlier: .thisLedger, before: [buy(3, "AAPL", 100, day: 0)], after: []),
        Situation(
            name: "short sales and options", earlier: .untaxed, before: [],
            after: [
                sell(5, "MSFT", 55, day: 0), buy(8, "MSFT", 60, day: 1), buy(2, Fixture.call, "1.20", day: 1, minute: 1),
                sell(2, Fixture.call, "1.50", day: 2),
            ]),
    ]

    /// What one account ended with.
    struct Outcome: Sendable, Equatable {
        let rows: TaxRowSet
        let version: Int64?
        let newestFill: Int64?
    }

    /// Every situation caught up by one batch call equals each caught up alone (same fill ids, as
    /// both runs write the same rows in the same order into fresh databases), each account ends at
    /// its newest fill, and a recalculation, by this ledger or a fresh one, changes nothing.
    @Test func aBatchLeavesTheRowsEachAccountCaughtUpAloneLeaves() async throws {
        let alone = try await Self.outcomes(batched: false)
        let batched = try await Self.outcomes(batched: true)
        for (index, situation) in Self.situations.enumerated() {
            #expect(batched[index] == alone[index], "\(situation.name)")
            #expect(batched[index].version == batched[index].newestFill, "\(situation.name)")
        }
        let outOfOrder = try #require(batched[3].rows.dispositions[0])
        #expect(outOfOrder.washSaleDisallowed == 100 && outOfOrder.gain == -100)
        #expect(batched[2].rows.washSales.count == 1 && batched[5].rows.dispositions[0]?.gain == 50)
        #expect(batched[7].rows.lots.values.contains { $0.side == .short } && batched[7].rows.lots.values.contains { $0.multiplier == 100 })
    }

    /// Runs the scenario on a fresh database: the earlier fills, then the later ones without the
    /// hook, then one call for all accounts (`batched`) or one per account, in one transaction.
    static func outcomes(batched: Bool) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        try await Fixture.run { f in
            let other = TaxLedger(database: f.database, logger: TestDatabase.logger)
            var users: [User] = []
            for (index, situation) in situations.enumerated() {
                let user = try await UserStore(database: f.database).create(name: "batch\(index)", at: f.clock.now()).user
                users.append(user)
                for trade in situation.before {
                    let ledger: TaxLedger? = situation.earlier == .thisLedger ? f.ledger : situation.earlier == .otherLedger ? other : nil
                    try await f.database.withTransaction { db in
                        let filled = try await write(trade, for: user.id, f, on: db)
                        try await ledger?.orderFilled(filled.order, fill: filled.fill, fillId: filled.fillId, on: db)
                    }
                }
            }
            var last: [PostFill] = []
            for (user, situation) in zip(users, situations) {
                var newest: PostFill?
                for trade in situation.after {
                    newest = try await f.database.withTransaction { try await write(trade, for: user.id, f, on: $0) }
                }
                if let newest { last.append(newest) } else { last.append(try await lastFill(of: user.id, f)) }
            }
            try await f.database.withTransaction { db in
                if batched {
                    try await f.ledger.accountsFilled(last, on: db)
                } else {
                    for filled in last { try await f.ledger.orderFilled(filled.order, fill: filled.fill, fillId: filled.fillId, on: db) }
                }
            }
            for (user, situation) in zip(users, situations) {
                outcomes.append(try await Self.outcome(of: user, f))
                let again = try await f.ledger.recalc(userId: user.id)
                let fresh = try await TaxLedger(database: f.database, logger: TestDatabase.logger).recalc(userId: user.id)
                #expect(again.rowsWritten == 0 && again.rowsDeleted == 0, "\(situation.name)")
                #expect(fresh.rowsWritten == 0 && fresh.rowsDeleted == 0, "\(situation.name)")
                #expect(fresh.untaxed.isEmpty == (situation.name != "a fill the engine refuses"), "\(situation.name)")
            }
        }
        return outcomes
    }

    /// When one account's rows cannot be written, the batch is retried account by account: the
    /// others are taxed, the failing one keeps its old version and rows, every fill stands, and
    /// once the cause is gone the next call catches it up.
    @Test func oneAccountsFailingWriteDoesNotHoldBackTheOthers() async throws {
        try await Fixture.run { f in
            var users: [User] = []
            for index in 0..<3 {
                users.append(try await UserStore(database: f.database).create(name: "fail\(index)", at: f.clock.now()).user)
            }
            var last: [PostFill] = []
            for user in users {
                _ = try await f.database.withTransaction {
                    try await Self.write(Self.buy(10, "AAPL", 100, day: 0), for: user.id, f, on: $0)
                }
                last.append(
                    try await f.database.withTransaction { try await Self.write(Self.sell(4, "AAPL", 90, day: 1), for: user.id, f, on: $0) }
                )
            }
            let failing = users[1].id
            try await refuseTaxLots(of: failing, f)
            try await f.database.withTransaction { try await f.ledger.accountsFilled(last, on: $0) }
            for user in [users[0], users[2]] {
                let outcome = try await Self.outcome(of: user, f)
                #expect(outcome.version == outcome.newestFill && outcome.rows.dispositions.count == 1)
            }
            let stuck = try await Self.outcome(of: users[1], f)
            #expect(stuck.version == nil && stuck.rows == TaxRowSet() && stuck.newestFill == last[1].fillId)
            try await allowTaxLots(f)
            let next = try await f.database.withTransaction {
                try await Self.write(Self.buy(1, "AAPL", 95, day: 2), for: failing, f, on: $0)
            }
            try await f.database.withTransaction { try await f.ledger.accountsFilled([next], on: $0) }
            let caughtUp = try await Self.outcome(of: users[1], f)
            #expect(caughtUp.version == next.fillId && caughtUp.rows.dispositions.count == 1)
            #expect(try await f.ledger.recalc(userId: failing).rowsWritten == 0)
        }
    }

    /// When no account's rows can be written, every fill still stands and every version stays
    /// behind, for the next call or a recalculation to catch up.
    @Test func aBatchWhoseWritesAllFailLosesNoFill() async throws {
        try await Fixture.run { f in
            var last: [PostFill] = []
            for index in 0..<2 {
                let user = try await UserStore(database: f.database).create(name: "drop\(index)", at: f.clock.now()).user
                _ = try await f.database.withTransaction {
                    try await Self.write(Self.buy(10, "AAPL", 100, day: 0), for: user.id, f, on: $0)
                }
                last.append(
                    try await f.database.withTransaction { try await Self.write(Self.sell(4, "AAPL", 90, day: 1), for: user.id, f, on: $0) }
                )
            }
            try await f.database.withConnection { db in try await db.raw("DROP TABLE holding_period_classifications").run() }
            try await f.database.withTransaction { try await f.ledger.accountsFilled(last, on: $0) }
            for filled in last {
                let (version, newest) = try await f.versionAndNewestFill(of: try await user(filled.order.userId, f))
                #expect(version == nil && newest == filled.fillId)
            }
        }
    }

    /// The statements a batch takes do not depend on how many accounts it holds: two accounts and
    /// eight in the same state (never taxed; then warm, with new lots, sales and wash sales) cost
    /// the same: ten statements each, savepoint and release included.
    @Test func aBatchTakesAFixedNumberOfStatements() async throws {
        let few = try await statements(accounts: 2)
        let many = try await statements(accounts: 8)
        #expect(few == many, "\(few) statements for 2 accounts, \(many) for 8")
        #expect(many.cold <= 12 && many.warm <= 12)
    }

    /// Statements of a batch of `accounts` never-taxed accounts, then of the same accounts warm.
    private func statements(accounts: Int) async throws -> (cold: Int, warm: Int) {
        var counts = (cold: 0, warm: 0)
        try await Fixture.run { f in
            var users: [User] = []
            for index in 0..<accounts {
                users.append(try await UserStore(database: f.database).create(name: "n\(index)", at: f.clock.now()).user)
            }
            for round in 0..<2 {
                var last: [PostFill] = []
                for user in users {
                    for trade in [Self.buy(10, "AAPL", 100, day: round * 2), Self.sell(4, "AAPL", 90, day: round * 2 + 1)] {
                        last.append(try await f.database.withTransaction { try await Self.write(trade, for: user.id, f, on: $0) })
                    }
                }
                let counter = StatementCounter()
                try await f.database.withTransaction { db in
                    try await f.ledger.accountsFilled(last, on: CountingDatabase(base: db, counter: counter))
                }
                if round == 0 { counts.cold = counter.count } else { counts.warm = counter.count }
                for user in users { #expect(try await f.ledger.recalc(userId: user.id).rowsWritten == 0) }
            }
        }
        return counts
    }

    // MARK: - Helpers

    /// A filled order and its fill written straight to the tables without any hook, as the bar
    /// loop's set-based writes leave them before it calls the hook.
    private static func write(_ trade: Trade, for userId: Int64, _ f: Fixture, on db: any SQLDatabase) async throws -> PostFill {
        let at = day(trade.day).at(hour: 10, minute: trade.minute)
        let assetClass: AssetClass = trade.symbol == Fixture.call ? .option : .usEquity
        let order = try await OrderStore(database: f.database).insert(
            OrderStore.NewOrder(
                userId: userId, symbol: trade.symbol, assetClass: assetClass, side: trade.side, quantity: trade.quantity, type: .market,
                timeInForce: .day, limitPrice: nil, status: .filled, submittedAt: at),
            on: db)
        let fill = Fill(
            symbol: trade.symbol, side: trade.side, price: trade.price, quantity: trade.quantity,
            multiplier: assetClass == .option ? 100 : 1,
            rule: .marketAtQuote, priceSource: .ask, nbboBid: nil, nbboAsk: nil, slippageBasis: nil, pricedAt: at)
        return (order, fill, try await FillStore.insert(fill, orderId: order.id, userId: userId, at: at, on: db))
    }

    /// The user's newest fill as the bar loop would name it.
    private static func lastFill(of userId: Int64, _ f: Fixture) async throws -> PostFill {
        try await f.database.withConnection { db in
            let newest = try #require(try await TaxFillStore.fills(userId: userId, on: db).max { $0.fillId < $1.fillId })
            let order = try await OrderStore(database: f.database).order(id: newest.orderId, userId: userId, on: db)
            let fill = Fill(
                symbol: newest.symbol, side: newest.side, price: newest.price, quantity: newest.quantity, multiplier: 1,
                rule: .marketAtQuote, priceSource: .ask, nbboBid: nil, nbboAsk: nil, slippageBasis: nil, pricedAt: newest.timestamp)
            return (try #require(order), fill, newest.fillId)
        }
    }

    private static func outcome(of user: User, _ f: Fixture) async throws -> Outcome {
        let (version, newest) = try await f.versionAndNewestFill(of: user)
        return Outcome(rows: try await f.rows(of: user), version: version, newestFill: newest)
    }

    private func user(_ id: Int64, _ f: Fixture) async throws -> User {
        try #require(try await UserStore(database: f.database).list().first { $0.id == id })
    }

    /// Makes every insert of a `tax_lots` row of `userId` fail, on either database.
    private func refuseTaxLots(of userId: Int64, _ f: Fixture) async throws {
        try await f.database.withConnection { db in
            if TestDatabase.dialect == .postgres {
                try await db.raw(
                    """
                    CREATE FUNCTION refuse_tax_lot() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.user_id = \(unsafeRaw: "\(userId)") THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$
                    """
                ).run()
                try await db.raw("CREATE TRIGGER refuse_tax_lot BEFORE INSERT ON tax_lots FOR EACH ROW EXECUTE FUNCTION refuse_tax_lot()")
                    .run()
            } else {
                try await db.raw(
                    """
                    CREATE TRIGGER refuse_tax_lot BEFORE INSERT ON tax_lots WHEN NEW.user_id = \(unsafeRaw: "\(userId)")
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                    """
                ).run()
            }
        }
    }

    private func allowTaxLots(_ f: Fixture) async throws {
        try await f.database.withConnection { db in
            try await db.raw(TestDatabase.dialect == .postgres ? "DROP TRIGGER refuse_tax_lot ON tax_lots" : "DROP TRIGGER refuse_tax_lot")
                .run()
        }
    }
}

/// Counts the statements run through a ``CountingDatabase``.
final class StatementCounter: Sendable {
    private let statements = Mutex(0)

    var count: Int { statements.withLock { $0 } }

    func add() {
        statements.withLock { $0 += 1 }
    }
}

/// A database that forwards every statement to `base` and counts it.
struct CountingDatabase: SQLDatabase {
    let base: any SQLDatabase
    let counter: StatementCounter

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        counter.add()
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        counter.add()
        try await base.execute(sql: query, onRow)
    }
}
