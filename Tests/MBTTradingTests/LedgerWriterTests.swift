import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
@testable import MBTTrading
import SQLKit
import Testing

/// The ledger's one writer for what is not a trade: a cash movement (a dividend, a fee, cash in
/// lieu) moves cash, is recorded in `cash_movements` and the audit log, is written once however
/// often it is sent, and leaves a ledger `mbt verify` proves.
@Suite("Ledger writer: cash movements")
struct LedgerWriterTests {
    typealias F = BarLoopFixture

    static func dividend(
        _ f: F, amount: Decimal6, kind: LedgerStore.CashMovementRow.Kind = .dividend, key: String = "dividend:AAPL:2026-03-20"
    ) -> LedgerStore.CashMovementRow {
        LedgerStore.CashMovementRow(
            userId: f.user.id, kind: kind, amount: amount, symbol: "AAPL", description: "AAPL cash dividend 0.25 × 40",
            dedupeKey: "\(key):\(f.user.id)", at: F.friday10)
    }

    static func post(_ movements: [LedgerStore.CashMovementRow], _ f: F) async throws {
        let writer = LedgerWriter(database: f.database, postFillHook: NoPostFillHook())
        try await f.database.withTransaction { db in
            var batch = try await writer.lock(movements.map(\.userId), on: db)
            for movement in movements { try batch.move(movement) }
            _ = try await writer.write(batch, on: db)
        }
    }

    @Test func aMovementIsWrittenOnceAndReconciles() async throws {
        try await F.run(bars: [], startingBalance: 1_000) { f in
            try await Self.post([Self.dividend(f, amount: 10)], f)
            try await Self.post([Self.dividend(f, amount: 10)], f)  // the same dividend sent again
            try await Self.post([Self.dividend(f, amount: "-2.50", kind: .fee, key: "fee:1")], f)
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == "1007.500000")
            let rows = try await f.database.withConnection { db in
                try await db.select().column("kind").from("cash_movements").where("user_id", .equal, SQLBind(f.user.id)).all()
            }
            #expect(rows.count == 2)
            let audits = try await f.database.withConnection { db in
                try await db.select().column("action").from("audit_log").where("user_id", .equal, SQLBind(f.user.id))
                    .where("action", .equal, SQLBind("cash_dividend")).all()
            }
            #expect(audits.count == 1)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }
}
