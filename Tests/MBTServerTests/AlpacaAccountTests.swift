import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import Testing

@Suite("Alpaca /v2 account, assets, clock, calendar and activities")
struct AlpacaAccountTests {
    @Test func theAccountHasAlpacasFieldsAsDecimalStrings() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let account = try await alice.object(.get, "/v2/account")
            #expect(AlpacaOrderTests.isUUID(account["id"]))
            #expect((account["account_number"] as? String)?.hasPrefix("PA") == true)
            #expect(account["status"] as? String == "ACTIVE" && account["currency"] as? String == "USD")
            for key in ["cash", "equity", "buying_power", "portfolio_value", "last_equity", "options_buying_power"] {
                #expect(account[key] as? String == "100000", "\(key)")
            }
            #expect(account["pattern_day_trader"] as? Bool == false && account["daytrade_count"] as? Int == 0)
            #expect(account["options_trading_level"] as? Int == 3 && account["multiplier"] as? String == "1")
            let again = try await alice.object(.get, "/v2/account")
            #expect(again["id"] as? String == account["id"] as? String)
        }
    }

    @Test func assetsAndOptionContractsListTheMarketsUniverse() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let assets = try await alice.array("/v2/assets")
            #expect(assets.map { $0["symbol"] as? String } == ["AAPL", "MSFT"])
            #expect(assets.allSatisfy { $0["class"] as? String == "us_equity" && $0["tradable"] as? Bool == true })
            let aapl = try await alice.object(.get, "/v2/assets/aapl")
            #expect(aapl["id"] as? String == assets.first?["id"] as? String)
            #expect(try await alice.object(.get, "/v2/assets/\(try #require(aapl["id"] as? String))")["symbol"] as? String == "AAPL")
            #expect(try await alice.object(.get, "/v2/assets/AAPL260320C00175000")["class"] as? String == "us_option")
            let contract = try await alice.object(.get, "/v2/options/contracts/aapl260320c00175000")
            #expect(contract["symbol"] as? String == "AAPL260320C00175000" && contract["strike_price"] as? String == "175")
            let contractId = try #require(contract["id"] as? String)
            #expect(try await alice.request(.get, "/v2/options/contracts/\(contractId)").status == .notFound)
            _ = try await alice.order(#""symbol":"AAPL260320C00175000","qty":"1","side":"buy","type":"market","time_in_force":"day""#)
            #expect(try await alice.object(.get, "/v2/options/contracts/\(contractId)")["symbol"] as? String == "AAPL260320C00175000")
            #expect(try await alice.request(.get, "/v2/options/contracts/AAPL260320C00999000").status == .notFound)
            let unknown = try await alice.request(.get, "/v2/assets/NOSUCH")
            #expect(unknown.status == .notFound)
            #expect(try unknown.alpacaCode() == 40_410_000)

            let contracts = try await alice.object(.get, "/v2/options/contracts?underlying_symbols=AAPL&expiration_date=2026-03-20")
            let list = try #require(contracts["option_contracts"] as? [[String: Any]])
            #expect(list.map { $0["symbol"] as? String } == ["AAPL260320C00175000", "AAPL260320P00170000"])
            #expect(list.first?["type"] as? String == "call" && list.first?["strike_price"] as? String == "175")
            #expect(list.first?["expiration_date"] as? String == "2026-03-20" && list.first?["size"] as? String == "100")
            #expect(contracts["next_page_token"] is NSNull)
            let paged = try await alice.object(.get, "/v2/options/contracts?underlying_symbols=AAPL&limit=1")
            #expect((paged["option_contracts"] as? [Any])?.count == 1 && paged["next_page_token"] as? String == "1")
            let puts = try await alice.object(.get, "/v2/options/contracts?underlying_symbols=AAPL&type=put&page_token=0")
            #expect((puts["option_contracts"] as? [[String: Any]])?.map { $0["type"] as? String } == ["put"])
            let missing = try await alice.request(.get, "/v2/options/contracts")
            #expect(missing.status == .unprocessableContent)
        }
    }

    @Test func clockAndCalendarFollowTheMarketsClock() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let clock = try await alice.object(.get, "/v2/clock")
            #expect(clock["is_open"] as? Bool == true)
            #expect(clock["timestamp"] as? String == "2026-03-20T10:00:00.000-04:00")
            #expect(clock["next_close"] as? String == "2026-03-20T16:00:00-04:00")
            let days = try await alice.array("/v2/calendar?start=2026-03-20&end=2026-03-23")
            #expect(days.map { $0["date"] as? String } == ["2026-03-20", "2026-03-23"])
            #expect(days.first?["open"] as? String == "09:30" && days.first?["close"] as? String == "16:00")
            let backwards = try await alice.request(.get, "/v2/calendar?start=2026-03-23&end=2026-03-20")
            #expect(backwards.status == .unprocessableContent)
            #expect(try backwards.alpacaCode() == 42_210_000)
        }
    }

    @Test func activitiesListFillsNewestFirstPagedByTheLastId() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let buy = try await alice.order(AlpacaOrderTests.marketBuy)
            let sell = try await alice.order(#""symbol":"AAPL","qty":"4","side":"sell","type":"market","time_in_force":"day""#)
            let all = try await alice.array("/v2/account/activities")
            #expect(all.map { $0["order_id"] as? String } == [sell["id"] as? String, buy["id"] as? String])
            let fill = try #require(all.last)
            #expect(fill["activity_type"] as? String == "FILL" && fill["type"] as? String == "fill")
            #expect(fill["qty"] as? String == "10" && fill["price"] as? String == "172.7" && fill["side"] as? String == "buy")
            #expect(fill["cum_qty"] as? String == "10" && fill["leaves_qty"] as? String == "0")
            #expect((fill["id"] as? String)?.contains("::") == true)
            let first = try await alice.array("/v2/account/activities/FILL?page_size=1")
            #expect(first.count == 1 && first[0]["id"] as? String == all[0]["id"] as? String)
            let token = try #require(first[0]["id"] as? String).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let second = try await alice.array("/v2/account/activities/FILL?page_size=1&page_token=\(token)")
            #expect(second.map { $0["id"] as? String } == [all[1]["id"] as? String])
            #expect(try await alice.array("/v2/account/activities/DIV").isEmpty)
            #expect(try await alice.array("/v2/account/activities?activity_types=FILL,DIV").count == 2)
            let bad = try await alice.request(.get, "/v2/account/activities/NOPE")
            #expect(bad.status == .unprocessableContent)
        }
    }
}

@Suite("Alpaca /v2/account/portfolio/history")
struct AlpacaPortfolioHistoryTests {
    @Test func theEquityCurveComesFromTheEndOfDaySnapshots() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let user = try #require(try await UserStore(database: app.database).user(named: "alice"))
            let days = [(16, "100500"), (17, "99800.5"), (19, "101000")].map { day, equity in
                SnapshotStore.Snapshot(
                    userId: user.id, date: MarketDate(year: 2026, month: 3, day: day)!, equity: Decimal6(equity)!, cash: 0,
                    positionsJSON: "[]")
            }
            _ = try await SnapshotStore(database: app.database).insert(days, at: TestApp.now)
            let history = try await alice.object(.get, "/v2/account/portfolio/history?period=1W")
            #expect(history["timeframe"] as? String == "1D" && history["base_value"] as? Double == 100_000)
            #expect(history["equity"] as? [Double] == [100_500, 99_800.5, 101_000])
            #expect(history["profit_loss"] as? [Double] == [500, -199.5, 1_000])
            #expect(history["profit_loss_pct"] as? [Double] == [0.005, -0.001995, 0.01])
            #expect(history["timestamp"] as? [Int] == [1_773_633_600, 1_773_720_000, 1_773_892_800])
            let later = try await alice.object(.get, "/v2/account/portfolio/history?start=2026-03-18T12:00:00Z&date_end=2026-03-20")
            #expect(later["equity"] as? [Double] == [101_000] && later["base_value"] as? Double == 99_800.5)
            for bad in ["timeframe=5Min", "period=1Y", "period=0D"] {
                let response = try await alice.request(.get, "/v2/account/portfolio/history?\(bad)")
                #expect(response.status == .unprocessableContent, "\(bad)")
            }
        }
    }
}
