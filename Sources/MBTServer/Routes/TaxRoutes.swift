import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// The caller's tax lots, yearly summary and Form 8949 (docs/tax-rules.md), never anyone else's.
///
/// Lots are read from the stored tax tables. The summary and Form 8949 come from the engine's
/// state for the same fills (``TaxLedger/state(of:)``, checked against the stored version), so
/// the domain's ``TaxSummary`` and ``Form8949`` compute them exactly as `mbt tax report` does.
struct TaxRoutes {
    let ledger: TaxLedger
    let lots: TaxLotStore
    let clock: any MarketClock

    /// The years a report can be asked for, as `mbt tax report --year` accepts.
    static let years = 1900...2100

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/trading/tax/lots") { request, context in
            let user = try context.requireUser()
            let query = request.uri.queryParameters
            let limit = try OrderRoutes.integer(query.get("limit"), name: "limit", range: 1...OrderRoutes.maximumPageSize) ?? 100
            let all = TaxLotsBody(try await lots.rows(userId: user.id), today: MarketDate(containing: clock.now()))
            return try TaxLotPage(all.lots, after: query.get("after"), limit: limit)
        }
        routes.on(.get, "/api/trading/tax/summary") { request, context in
            let user = try context.requireUser()
            return try await summary(userId: user.id, year: try year(of: request))
        }
        routes.on(.get, "/api/trading/tax/8949") { request, context -> Response in
            let user = try context.requireUser()
            return try await form8949(userId: user.id, year: try year(of: request))
        }
    }

    /// One year's summary (also shown by the web app's history page).
    func summary(userId: Int64, year: Int) async throws -> TaxSummaryBody {
        TaxSummaryBody(try await ledger.state(of: userId).summary(year: year))
    }

    /// One year's Form 8949 rows as a CSV download (also offered by the web app's history page).
    func form8949(userId: Int64, year: Int) async throws -> Response {
        let state = try await ledger.state(of: userId)
        let csv = Form8949.csv(state.dispositionsInSaleOrder.filter { $0.sold.year == year })
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"form-8949-\(year).csv\""],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    /// `year=YYYY`; the current New York year when absent.
    private func year(of request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("year") else { return MarketDate(containing: clock.now()).year }
        guard text.count == 4, let year = Int(text), Self.years.contains(year) else {
            throw APIError.validation("year must be a year from \(Self.years.lowerBound) to \(Self.years.upperBound), as YYYY")
        }
        return year
    }
}
