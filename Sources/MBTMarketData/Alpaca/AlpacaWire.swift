import Foundation
import MBTDomain

/// Alpaca Market Data's JSON shapes, as sent. Prices are JSON numbers there; they are decoded as
/// `Foundation.Decimal` (which keeps the digits as written) and turned into ``Decimal6`` here.
enum AlpacaWire {
    struct LatestQuotes: Decodable {
        let quotes: [String: WireQuote]
    }

    struct Bars: Decodable {
        let bars: [String: [WireBar]]?
        let nextPageToken: String?

        enum CodingKeys: String, CodingKey {
            case bars
            case nextPageToken = "next_page_token"
        }
    }

    struct OptionSnapshots: Decodable {
        let snapshots: [String: WireOptionSnapshot]?
        let nextPageToken: String?

        enum CodingKeys: String, CodingKey {
            case snapshots
            case nextPageToken = "next_page_token"
        }
    }

    struct CorporateActions: Decodable {
        struct Groups: Decodable {
            let cashDividends: [CashDividend]?
            let forwardSplits: [Split]?
            let reverseSplits: [Split]?

            enum CodingKeys: String, CodingKey {
                case cashDividends = "cash_dividends"
                case forwardSplits = "forward_splits"
                case reverseSplits = "reverse_splits"
            }
        }

        let corporateActions: Groups
        let nextPageToken: String?

        enum CodingKeys: String, CodingKey {
            case corporateActions = "corporate_actions"
            case nextPageToken = "next_page_token"
        }
    }

    struct WireQuote: Decodable {
        let t: String
        let ap: Decimal
        let `as`: Decimal
        let bp: Decimal
        let bs: Decimal
    }

    struct WireBar: Decodable {
        let t: String
        let o: Decimal
        let h: Decimal
        let l: Decimal
        let c: Decimal
        let v: Decimal
        let n: Decimal?
        let vw: Decimal?
    }

    struct WireOptionSnapshot: Decodable {
        struct Greeks: Decodable {
            let delta: Decimal?
            let gamma: Decimal?
            let theta: Decimal?
            let vega: Decimal?
            let rho: Decimal?
        }

        let latestQuote: WireQuote?
        let greeks: Greeks?
        let impliedVolatility: Decimal?
    }

    struct CashDividend: Decodable {
        let id: String
        let symbol: String
        let rate: Decimal
        let exDate: String
        let payableDate: String?

        enum CodingKeys: String, CodingKey {
            case id, symbol, rate
            case exDate = "ex_date"
            case payableDate = "payable_date"
        }
    }

    struct Split: Decodable {
        let id: String
        let symbol: String
        let newRate: Decimal
        let oldRate: Decimal
        let exDate: String

        enum CodingKeys: String, CodingKey {
            case id, symbol
            case newRate = "new_rate"
            case oldRate = "old_rate"
            case exDate = "ex_date"
        }
    }

    /// Alpaca's error body: `{"code": 40010000, "message": "…"}`.
    struct ErrorBody: Decodable {
        let message: String?
    }

    /// One entry of the Trading API's `GET /v2/assets` (the fields MBT reads).
    struct Asset: Decodable {
        let symbol: String
        let tradable: Bool
    }
}

// MARK: - Conversion to domain values

extension AlpacaWire {
    static func decimal(_ value: Decimal, _ field: String) throws(MarketDataError) -> Decimal6 {
        do {
            return try Decimal6(parsing: value.description, rounding: .toNearestOrEven)
        } catch {
            throw .malformedResponse("\(field) \(value) is not a price")
        }
    }

    static func count(_ value: Decimal, _ field: String) throws(MarketDataError) -> Int64 {
        let micros = try decimal(value, field).micros
        guard micros % Decimal6.microsPerUnit == 0, micros >= 0 else { throw .malformedResponse("\(field) \(value) is not a count") }
        return micros / Decimal6.microsPerUnit
    }

    static func instant(_ text: String) throws(MarketDataError) -> Date {
        guard let date = RFC3339.parse(text) else { throw .malformedResponse("timestamp '\(text)'") }
        return date
    }

    static func date(_ text: String) throws(MarketDataError) -> MarketDate {
        guard let date = MarketDate(iso: text) else { throw .malformedResponse("date '\(text)'") }
        return date
    }

    static func quote(_ wire: WireQuote, symbol: String) throws(MarketDataError) -> Quote {
        Quote(
            symbol: symbol, bid: try decimal(wire.bp, "bp"), ask: try decimal(wire.ap, "ap"), bidSize: try count(wire.bs, "bs"),
            askSize: try count(wire.as, "as"), timestamp: try instant(wire.t)
        )
    }

    static func bar(_ wire: WireBar, symbol: String) throws(MarketDataError) -> Bar {
        Bar(
            symbol: symbol, start: try instant(wire.t), open: try decimal(wire.o, "o"), high: try decimal(wire.h, "h"),
            low: try decimal(wire.l, "l"), close: try decimal(wire.c, "c"), volume: try count(wire.v, "v"),
            tradeCount: try wire.n.map { value throws(MarketDataError) in try count(value, "n") },
            vwap: try wire.vw.map { value throws(MarketDataError) in try decimal(value, "vw") }
        )
    }

    static func optional(_ value: Decimal?, _ field: String) throws(MarketDataError) -> Decimal6? {
        guard let value else { return nil }
        return try decimal(value, field)
    }

    /// Alpaca's corporate-action groups as domain values.
    static func corporateActions(_ groups: CorporateActions.Groups) throws(MarketDataError) -> [CorporateAction] {
        var actions: [CorporateAction] = []
        for dividend in groups.cashDividends ?? [] {
            actions.append(
                .cashDividend(
                    id: dividend.id, symbol: dividend.symbol, rate: try decimal(dividend.rate, "rate"), exDate: try date(dividend.exDate),
                    payableDate: try dividend.payableDate.map { text throws(MarketDataError) in try date(text) }))
        }
        for split in (groups.forwardSplits ?? []) + (groups.reverseSplits ?? []) {
            actions.append(
                .split(
                    id: split.id, symbol: split.symbol, newRate: try decimal(split.newRate, "new_rate"),
                    oldRate: try decimal(split.oldRate, "old_rate"), exDate: try date(split.exDate)))
        }
        return actions
    }
}
