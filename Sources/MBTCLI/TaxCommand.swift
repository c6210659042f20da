import ArgumentParser
import Foundation
import MBTDomain
import MBTStorage
import MBTTrading

/// `mbt tax report`: the tax engine on a trades file, without a database. `mbt tax recalc`:
/// rebuild a user's stored tax rows from their fills.
struct TaxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tax",
        abstract: "Tax lots, wash sales and Form 8949 figures from the tax engine.",
        subcommands: [Report.self, Recalc.self]
    )

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the tax engine on a trades file and print dispositions and open lots (no database is opened).")

        /// Lot methods a whole file can default to; specific lots are named per row in `lot_ids`.
        enum Method: String, ExpressibleByArgument, CaseIterable {
            case fifo, lifo, hifo

            var lotMethod: TaxLotMethod {
                switch self {
                case .fifo: .fifo
                case .lifo: .lifo
                case .hifo: .hifo
                }
            }
        }

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, csv
        }

        @Option(help: "CSV trades file: date,action,symbol,quantity,price[,fees][,lot_ids].") var trades: String
        @Option(help: "Lot method for closing rows without lot_ids: fifo, lifo or hifo.") var method: Method = .fifo
        @Option(help: "Report only what was sold in this tax year (wash sales still look across years).") var year: Int?
        @Option(help: "json, or csv (Form 8949 rows with a part column: I, II, or 6781 for Section 1256).") var format: Format = .json
        @Option(help: "CSV of year,symbol,price: year-end prices to mark open Section 1256 contracts to market.") var marks: String?

        func validate() throws {
            if let year, !(1900...2100).contains(year) { throw ValidationError("--year must be a year from 1900 to 2100") }
        }

        func run() async throws {
            let events = try parse(trades) { text throws(TradesFileError) in try TradesFile.parse(text) }
            let yearEndMarks =
                try marks.map { path in try parse(path) { text throws(TradesFileError) in try YearEndMarksFile.parse(text) } } ?? [:]
            let state: TaxState
            do {
                state = try TaxEngine(defaultMethod: method.lotMethod).run(events, yearEndMarks: yearEndMarks)
            } catch {
                throw CommandFailure("\(trades): " + (error.eventId.map { "line \($0): " } ?? "") + error.reason)
            }
            switch format {
            case .json: try printJSON(TaxReportDocument(state: state, method: method.lotMethod, year: year))
            case .csv: print(Form8949.csv(state.dispositionsInSaleOrder.filter { year == nil || $0.sold.year == year }), terminator: "")
            }
        }

        private func parse<Value>(_ path: String, _ parser: (String) throws(TradesFileError) -> Value) throws -> Value {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CommandFailure("cannot read \(path): \((error as NSError).localizedDescription)")
            }
            do {
                return try parser(text)
            } catch {
                throw CommandFailure("\(path): \(error.description)")
            }
        }

        private func printJSON(_ document: TaxReportDocument) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
    }

    struct Recalc: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a user's tax lots, dispositions and wash sales from their fills; rewrites only rows that differ.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "User name.") var user: String
        @Option(help: "First trade date whose fills changed (YYYY-MM-DD); changed rows 30+ days before it count as repairs.")
        var from: String?

        func validate() throws {
            if let from, MarketDate(iso: from) == nil { throw ValidationError("--from must be a date as YYYY-MM-DD") }
        }

        func run() async throws {
            let start = from.flatMap(MarketDate.init(iso:))
            let report = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                database in
                guard let found = try await UserStore(database: database).user(named: user) else {
                    throw CommandFailure("no user named \(user)")
                }
                return try await TaxLedger(database: database, logger: CommandEnvironment.logger()).recalc(userId: found.id, from: start)
            }
            for untaxed in report.untaxed { print("UNTAXED fill \(untaxed.fillId): \(untaxed.reason)") }
            print(
                "recalculated \(user): \(report.fills) fill(s), \(report.rowsWritten) row(s) written, \(report.rowsDeleted) deleted"
                    + (start == nil ? "" : ", \(report.repairedBeforeFrom) repaired before the window of --from"))
        }
    }
}
