import Foundation
import Hummingbird
import MBTDomain

/// Query and path parameters of `/v2` requests, read as Alpaca's clients send them: booleans in
/// any case (alpaca-py sends `True`), instants as RFC 3339 or a bare date, lists comma-separated.
struct AlpacaQuery {
    let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    func text(_ name: String) -> String? {
        guard let value = parameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = text(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw AlpacaError.validation("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = text(name) else { return nil }
        guard let flag = Bool(text.lowercased()) else { throw AlpacaError.validation("\(name) must be true or false") }
        return flag
    }

    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = text(name) else { return nil }
        guard allowed.contains(text.lowercased()) else {
            throw AlpacaError.validation("\(name) must be one of \(allowed.joined(separator: ", ")) (got \(text.prefix(40)))")
        }
        return text.lowercased()
    }

    func decimal(_ name: String) throws -> Decimal6? {
        guard let text = text(name) else { return nil }
        guard let value = Decimal6(text) else { throw AlpacaError.validation("\(name) must be a decimal number such as 10 or 2.5") }
        return value
    }

    /// An RFC 3339 instant, or a date `YYYY-MM-DD` (its midnight in New York). A `+` of an offset
    /// that arrived unescaped reads as a space, and is put back.
    func instant(_ name: String) throws -> Date? {
        guard let raw = text(name) else { return nil }
        let text = raw.replacingOccurrences(of: " ", with: "+")
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let day = MarketDate(iso: text) { return day.at(hour: 0, minute: 0) }
        throw AlpacaError.validation("\(name) must be an RFC 3339 instant such as 2026-03-20T13:30:00Z, or a date YYYY-MM-DD")
    }

    func date(_ name: String) throws -> MarketDate? {
        guard let text = text(name) else { return nil }
        guard let date = MarketDate(iso: String(text.prefix(10))) else { throw AlpacaError.validation("\(name) must be a date YYYY-MM-DD") }
        return date
    }

    /// Where a page starts: the `page_token` an earlier page handed out (an offset), else 0.
    func pageOffset() throws -> Int {
        guard let token = text("page_token") else { return 0 }
        guard let offset = Int(token), offset >= 0 else {
            throw AlpacaError.validation("page_token must be a next_page_token from an earlier page")
        }
        return offset
    }

    /// A comma-separated list, upper-cased, without empty entries; `nil` when absent.
    func symbols(_ name: String) -> [String]? {
        guard let text = text(name) else { return nil }
        let list = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        return list.isEmpty ? nil : list
    }

    /// A path parameter that must be one of MBT's order UUIDs: a malformed one is a 400 that says
    /// so; a well-formed one that is not an MBT order is simply not found.
    static func orderId(_ context: AppRequestContext, name: String = "order_id") throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let uuid = UUID(uuidString: text) else {
            throw AlpacaError.badRequest("order_id must be a UUID such as 4d425401-0000-8000-8000-00000000002a (got \(text.prefix(40)))")
        }
        guard let id = AlpacaIdentifier.rowId(uuid, kind: .order) else { throw AlpacaError.notFound("order not found") }
        return id
    }
}
