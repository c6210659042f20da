import MBTDomain
import Testing

/// The `mbt tax report` trades file: strict rows, every bad row reported with its line number.
@Suite("Tax trades file")
struct TradesFileTests {
    @Test func parsesEveryActionAndTheOptionalColumns() throws {
        let text = """
            date,action,symbol,quantity,price,fees,lot_ids\r
            2025-03-03,buy,AAPL,100,180.25,1.00,\r
            2025-03-03,buy,AAPL,50,181,,\r
            \r
            2025-04-01,sell,AAPL,40,170,0.5,"3;2"\r
            2025-04-02,sell_short,TSLA,10,250\r
            2025-04-03,buy_to_cover,TSLA,10,240,,\r
            2025-04-04,buy,AAPL250620C00200000,2,3.5,1.3,\r
            2025-06-20,exercise,AAPL250620C00200000,1,210,,\r
            2025-06-20,expire,AAPL250620C00200000,1,,,\r
            2025-06-20,assign,SPX250620P05000000,1,4950,,\r

            """
        let events = try TradesFile.parse(text)
        #expect(events.map(\.id) == [2, 3, 5, 6, 7, 8, 9, 10, 11])
        #expect(events.map(\.action) == [.buy, .buy, .sell, .sellShort, .buyToCover, .buy, .exercise, .expire, .assign])
        #expect(events[0].price == "180.25")
        #expect(events[0].fees == 1)
        #expect(events[1].fees == 0)
        #expect(events[2].lotIds == [3, 2])
        #expect(events[2].sequence == 5)
        #expect(events[2].date == taxDay("2025-04-01"))
        #expect(events[7].price == 0)
    }

    @Test func reportsEveryBadRowWithItsLine() {
        let text = """
            date,action,symbol,quantity,price
            2025-02-30,buy,AAPL,1,10
            2025-03-03,purchase,AAPL,1,10
            2025-03-03,buy,aapl 1,1,10
            2025-03-03,buy,AAPL,-1,10
            2025-03-03,buy,AAPL,1e3,10
            2025-03-03,buy,AAPL,1,1.1234567
            2025-03-03,buy,AAPL,1,
            2025-03-03,buy,AAPL,1
            2025-03-03,buy,AAPL,1,10,3,4
            2025-03-03,buy,AAPL260230C00150000,1,10
            2025-03-03,buy,AAPL,1,10
            """
        #expect(throws: TradesFileError.self) { try TradesFile.parse(text) }
        do {
            _ = try TradesFile.parse(text)
        } catch {
            #expect(error.problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
            #expect(error.problems[0].reason.contains("2025-02-30"))
            #expect(error.problems[6].reason.contains("price is missing"))
            #expect(error.description.hasPrefix("10 bad rows: line 2: "))
        }
    }

    @Test(arguments: [
        "", "date,action,symbol,quantity", "date,action,symbol,price,quantity", "date,action,symbol,quantity,price,fees,fees",
        "date,action,symbol,quantity,price,notes",
    ])
    func badHeaderIsLineOne(header: String) {
        do {
            _ = try TradesFile.parse(header + "\n2025-03-03,buy,AAPL,1,10\n")
            Issue.record("accepted \(header)")
        } catch {
            #expect(error.problems.map(\.line) == [1])
        }
    }

    @Test func lotIdsMustNameEarlierOpeningRows() {
        let text = """
            date,action,symbol,quantity,price,lot_ids
            2025-03-03,buy,AAPL,10,10,
            2025-03-04,sell,AAPL,5,11,2;3
            2025-03-05,sell,AAPL,5,11,5
            2025-03-06,buy,AAPL,5,11,2
            """
        do {
            _ = try TradesFile.parse(text)
            Issue.record("accepted bad lot ids")
        } catch {
            #expect(error.problems.map(\.line) == [3, 4, 5])
        }
    }

    @Test func expiryAppliesToOptionsOnly() {
        do {
            _ = try TradesFile.parse("date,action,symbol,quantity,price\n2025-06-20,expire,AAPL,1,\n")
            Issue.record("accepted expiry of a stock")
        } catch {
            #expect(error.problems == [.init(line: 2, reason: "expire applies to option symbols only")])
        }
    }

    @Test func cashSettledExerciseNeedsTheSettlementValue() {
        let text = "date,action,symbol,quantity,price\n2025-06-20,exercise,SPX250620C05000000,1,\n"
        #expect(throws: TradesFileError.self) { try TradesFile.parse(text) }
    }

    @Test func yearEndMarksFile() throws {
        let marks = try YearEndMarksFile.parse("year,symbol,price\n2025,SPX260116C06000000,15.5\n")
        #expect(marks == [2025: ["SPX260116C06000000": "15.5"]])
        #expect(throws: TradesFileError.self) { try YearEndMarksFile.parse("year,symbol,price\n2025,AAPL,15.5\n") }
    }
}
