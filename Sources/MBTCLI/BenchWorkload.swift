import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// The workload files of `mbt bench bars catch-up` (docs/performance.md): resting orders read from
/// CSV (`id,symbol,side,qty,limit_price,time_in_force`, a header line optional) and the fills
/// written as CSV (`id,t,price`), so a run can be compared order by order with another engine's.
enum BenchWorkload {
    struct OrderRow: Sendable {
        let id: String
        let symbol: String
        let side: OrderSide
        let quantity: Decimal6
        let limit: Decimal6
        let timeInForce: TimeInForce
    }

    /// Every order in `path`, in file order; a bad line fails the whole read, naming it.
    static func orders(from path: String) throws -> [OrderRow] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandFailure("--orders \(path) cannot be read: \(error.localizedDescription)")
        }
        var rows: [OrderRow] = []
        var ids = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if fields == [""] || (index == 0 && fields.first == "id") { continue }
            let row = try order(fields, at: "\(path) line \(index + 1)")
            guard ids.insert(row.id).inserted else { throw CommandFailure("\(path) line \(index + 1): id \(row.id) appears twice") }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw CommandFailure("\(path) holds no orders") }
        return rows
    }

    private static func order(_ fields: [String], at place: String) throws -> OrderRow {
        guard fields.count == 6 else {
            throw CommandFailure("\(place): expected 6 fields id,symbol,side,qty,limit_price,time_in_force, got \(fields.count)")
        }
        guard !fields[0].isEmpty, fields[0].count <= 64 else { throw CommandFailure("\(place): id must be 1 to 64 characters") }
        guard !fields[1].isEmpty, fields[1].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "." }) else {
            throw CommandFailure("\(place): symbol must be upper-case letters, such as AAPL")
        }
        guard let side = OrderSide(rawValue: fields[2]) else { throw CommandFailure("\(place): side must be buy or sell") }
        guard let quantity = try? Decimal6(parsing: fields[3]), quantity > .zero else {
            throw CommandFailure("\(place): qty must be a positive number")
        }
        guard let limit = try? Decimal6(parsing: fields[4]), limit > .zero else {
            throw CommandFailure("\(place): limit_price must be a positive price")
        }
        guard let timeInForce = TimeInForce(rawValue: fields[5]), [.day, .gtc].contains(timeInForce) else {
            throw CommandFailure("\(place): time_in_force must be day or gtc")
        }
        return OrderRow(id: fields[0], symbol: fields[1], side: side, quantity: quantity, limit: limit, timeInForce: timeInForce)
    }

    /// Writes every fill of an order from the file (its id is the order's client_order_id) as
    /// `id,t,price`, in execution order; returns how many.
    static func writeFills(to path: String, from database: any DatabaseClient) async throws -> Int {
        let rows = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT o.client_order_id, f.ts, f.fill_price FROM paper_fills f JOIN paper_orders o ON o.id = f.paper_order_id \
                WHERE o.client_order_id IS NOT NULL ORDER BY f.ts, f.id
                """
            ).all().map { row in
                "\(try row.decode(column: "client_order_id", as: String.self)),\(try row.timestamp("ts").formatted(.iso8601)),\(try row.decimal("fill_price"))"
            }
        }
        do {
            try (["id,t,price"] + rows).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure("--fills-out \(path) cannot be written: \(error.localizedDescription)")
        }
        return rows.count
    }
}
