import Foundation
import MBTDomain
import Testing

@testable import MBTServer

@Suite("Alpaca bar timeframes over one-minute bars")
struct AlpacaTimeframeTests {
    static func minute(_ offset: Int, close: Decimal6, volume: Int64, vwap: Decimal6? = nil) -> Bar {
        Bar(
            symbol: "AAPL", start: TestApp.now.addingTimeInterval(Double(offset) * 60), open: close, high: close + 1, low: close - 1,
            close: close, volume: volume, tradeCount: 2, vwap: vwap)
    }

    @Test func timeframesParseAsAlpacaWritesThem() throws {
        #expect(try AlpacaTimeframe(parsing: "1Min") == .minutes(1))
        #expect(try AlpacaTimeframe(parsing: "15Min") == .minutes(15))
        #expect(try AlpacaTimeframe(parsing: "1Hour") == .minutes(60))
        #expect(try AlpacaTimeframe(parsing: "4H") == .minutes(240))
        #expect(try AlpacaTimeframe(parsing: "1Day") == .day)
        #expect(try AlpacaTimeframe(parsing: "1Week") == .week)
        #expect(try AlpacaTimeframe(parsing: "1Month") == .months(1) && AlpacaTimeframe(parsing: "12Month") == .months(12))
        for bad in ["0Min", "60Min", "24Hour", "2Day", "2Week", "4Month", "Min", "1Fortnight", ""] {
            #expect(throws: AlpacaError.self, "\(bad)") { try AlpacaTimeframe(parsing: bad) }
        }
    }

    @Test func hourBarsMergeTheirMinutesAlignedToTheClock() throws {
        // 09:58 to 10:03 New York time: two hour buckets, 09:00 and 10:00.
        let bars = (-2..<4).map { Self.minute($0, close: Decimal6(170 + $0), volume: 100, vwap: Decimal6(170 + $0)) }
        let hours = AlpacaTimeframe.minutes(60).aggregate(bars)
        #expect(hours.map(\.start) == [TestApp.now.addingTimeInterval(-3_600), TestApp.now])
        #expect(hours.map(\.volume) == [200, 400])
        #expect(hours[1].open == 170 && hours[1].close == 173 && hours[1].high == 174 && hours[1].low == 169)
        #expect(hours[1].tradeCount == 8 && hours[1].vwap == "171.5")
        let day = AlpacaTimeframe.day.aggregate(bars)
        #expect(day.count == 1 && day[0].start == MarketDate(year: 2026, month: 3, day: 20)!.at(hour: 0, minute: 0))
        // Without a VWAP on every part, the merged bar has none.
        #expect(
            AlpacaTimeframe.minutes(5).aggregate([Self.minute(0, close: 1, volume: 1), Self.minute(1, close: 2, volume: 1, vwap: 2)])[0]
                .vwap == nil)
    }

    static func bar(on date: MarketDate, close: Decimal6) -> Bar {
        Bar(symbol: "AAPL", start: date.at(hour: 10, minute: 0), open: close, high: close, low: close, close: close, volume: 10)
    }

    @Test func weeksAndMonthsFollowTheCalendarAndStartOnTheirFirstTradingDay() throws {
        // Friday 22 May 2026, then Memorial Day (Monday 25) closed: the week's first trading day is Tuesday 26.
        let days = [(2026, 5, 22), (2026, 5, 26), (2026, 5, 29), (2026, 6, 1), (2026, 7, 1)].map {
            MarketDate(year: $0.0, month: $0.1, day: $0.2)!
        }
        let bars = days.enumerated().map { Self.bar(on: $0.element, close: Decimal6(100 + $0.offset)) }
        let weeks = AlpacaTimeframe.week.aggregate(bars)
        #expect(weeks.map(\.start) == [days[0], days[1], days[3], days[4]].map { $0.at(hour: 0, minute: 0) })
        #expect(weeks[1].open == 101 && weeks[1].close == 102 && weeks[1].volume == 20)
        let months = AlpacaTimeframe.months(1).aggregate(bars)
        #expect(months.map(\.start) == [days[0], days[3], days[4]].map { $0.at(hour: 0, minute: 0) })
        #expect(months[0].close == 102 && months[0].volume == 30)
        // A quarter counts from January: April to June is one bucket, July starts the next.
        let quarters = AlpacaTimeframe.months(3).aggregate(bars)
        #expect(quarters.map(\.volume) == [40, 10])
        #expect(quarters[0].high == 103 && quarters[0].low == 100)
    }
}
