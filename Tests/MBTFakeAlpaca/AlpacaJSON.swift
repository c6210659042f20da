import Foundation
import MBTDomain
import MBTMarketData

/// Domain values written as Alpaca writes them: prices and sizes as JSON numbers, instants as
/// RFC 3339 with nanoseconds, dates as YYYY-MM-DD.
enum AlpacaJSON {
    static func quote(_ quote: Quote) -> String {
        #"{"t":"\#(instant(quote.timestamp))","ax":"V","ap":\#(number(quote.ask)),"as":\#(quote.askSize),"bx":"V","bp":\#(number(quote.bid)),"bs":\#(quote.bidSize),"c":["R"],"z":"C"}"#
    }

    static func bar(_ bar: Bar) -> String {
        let vwap = bar.vwap.map(number) ?? "null"
        let count = bar.tradeCount.map(String.init) ?? "null"
        return
            #"{"t":"\#(instant(bar.start))","o":\#(number(bar.open)),"h":\#(number(bar.high)),"l":\#(number(bar.low)),"c":\#(number(bar.close)),"v":\#(bar.volume),"n":\#(count),"vw":\#(vwap)}"#
    }

    static func snapshot(_ entry: OptionChainEntry) -> String {
        var parts: [String] = []
        if let quote = entry.quote { parts.append(#""latestQuote":\#(self.quote(quote))"#) }
        if let delta = entry.delta {
            let greeks = [("delta", delta), ("gamma", entry.gamma), ("theta", entry.theta), ("vega", entry.vega)]
                .compactMap { name, value in value.map { "\"\(name)\":\(number($0))" } }
            parts.append(#""greeks":{"# + greeks.joined(separator: ",") + "}")
        }
        if let iv = entry.impliedVolatility { parts.append(#""impliedVolatility":\#(number(iv))"#) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func corporateActions(_ actions: [CorporateAction]) -> String {
        var dividends: [String] = []
        var forward: [String] = []
        var reverse: [String] = []
        for action in actions {
            switch action {
            case .cashDividend(let id, let symbol, let rate, let exDate, let payable):
                dividends.append(
                    #"{"id":"\#(id)","symbol":"\#(symbol)","cusip":"000000000","rate":\#(number(rate)),"special":false,"foreign":false,"process_date":"\#(exDate)","ex_date":"\#(exDate)","record_date":"\#(exDate)","payable_date":\#(payable.map { "\"\($0)\"" } ?? "null")}"#
                )
            case .split(let id, let symbol, let newRate, let oldRate, let exDate):
                let item =
                    #"{"id":"\#(id)","symbol":"\#(symbol)","cusip":"000000000","new_rate":\#(number(newRate)),"old_rate":\#(number(oldRate)),"process_date":"\#(exDate)","ex_date":"\#(exDate)"}"#
                if newRate >= oldRate { forward.append(item) } else { reverse.append(item) }
            }
        }
        return
            #"{"corporate_actions":{"cash_dividends":[\#(dividends.joined(separator: ","))],"forward_splits":[\#(forward.joined(separator: ","))],"reverse_splits":[\#(reverse.joined(separator: ","))]},"next_page_token":null}"#
    }

    /// A decimal as a JSON number, without trailing zeros (as Alpaca sends `172.7`).
    static func number(_ value: Decimal6) -> String {
        var text = value.description
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// RFC 3339 with nine fractional digits.
    static func instant(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = Date(timeIntervalSince1970: TimeInterval(micros / 1_000_000 - (micros % 1_000_000 < 0 ? 1 : 0)))
        let fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000
        let base = seconds.formatted(.iso8601).dropLast()
        return base + "." + String(format: "%06d", fraction) + "000Z"
    }
}
