import Foundation
import MBTDomain

/// The range and paging of a historical market-data request, as Alpaca reads them
/// (docs/alpaca-api.md, "Market data"): `start` (default today's start in New York), `end`
/// (default now, never past now), at most `maximumDays` between them, `limit` rows per page
/// across all symbols (1,000, at most 10,000), `sort` asc/desc, and `page_token`, the offset
/// an earlier page handed out as its `next_page_token`.
struct AlpacaDataRange {
    let start: Date
    let end: Date
    let limit: Int
    let descending: Bool
    let offset: Int

    static let defaultLimit = 1_000
    static let maximumLimit = 10_000

    init(_ query: AlpacaQuery, now: Date, maximumDays: Int) throws {
        start = try query.instant("start") ?? MarketDate(containing: now).at(hour: 0, minute: 0)
        end = min(try query.instant("end") ?? now, now)
        guard start < end else { throw AlpacaError.validation("start must be before end (and before now)") }
        guard end.timeIntervalSince(start) <= TimeInterval(maximumDays) * 86_400 else {
            throw AlpacaError.validation("range too large: at most \(maximumDays) days between start and end")
        }
        limit = try query.integer("limit", in: 1...Self.maximumLimit) ?? Self.defaultLimit
        descending = try query.choice("sort", ["asc", "desc"]) == "desc"
        offset = try query.pageOffset()
    }

    /// This page of `rows` (already in the asked order) and the next page's token, `null` at the end.
    func page<Row>(_ rows: [Row]) -> ([Row], AlpacaValue) {
        let page = Array(rows.dropFirst(offset).prefix(limit))
        return (page, offset + page.count < rows.count ? .string("\(offset + page.count)") : .null)
    }

    /// How many rows a page needs to have been gathered (one more tells whether another page follows).
    var rowsNeeded: Int { offset + limit + 1 }
}
