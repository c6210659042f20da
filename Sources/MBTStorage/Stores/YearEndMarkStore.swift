import Foundation
import MBTDomain
import SQLKit

/// Year → contract symbol → price per share: the Section 1256 year-end marks.
public typealias YearEndMarks = [Int: [String: Decimal6]]

/// `tax_year_end_marks`: the prices open Section 1256 contracts were marked at on a year's last
/// trading day. A mark is recorded once: recording it again keeps the first price.
public enum YearEndMarkStore {
    /// Records the year's prices for symbols not recorded yet; returns how many were new.
    @discardableResult
    public static func record(year: Int, prices: [String: Decimal6], at now: Date, on db: any SQLDatabase) async throws -> Int {
        guard !prices.isEmpty else { return 0 }
        let insert = db.insert(into: "tax_year_end_marks").columns("year", "symbol", "price", "recorded_at")
        for (symbol, price) in prices.sorted(by: { $0.key < $1.key }) {
            insert.values(SQLBind(year), SQLBind(symbol), SQLBind(StoredDecimal(price)), SQLBind(StoredTimestamp(now)))
        }
        return try await insert.ignoringConflicts(with: ["year", "symbol"]).returning("symbol").all().count
    }

    /// Every recorded mark.
    public static func all(on db: any SQLDatabase) async throws -> YearEndMarks {
        var marks: YearEndMarks = [:]
        for row in try await db.select().columns("year", "symbol", "price").from("tax_year_end_marks").all() {
            marks[try row.decode(column: "year", as: Int.self), default: [:]][try row.decode(column: "symbol", as: String.self)] =
                try row.decimal("price")
        }
        return marks
    }
}
