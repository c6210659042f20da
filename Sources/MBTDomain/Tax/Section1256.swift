/// Section 1256 contracts: listed options on broad-based indexes (26 USC 1256(b), (g)(3)).
///
/// They are recognised only from the maintained allow-list of cash-settled broad-based index roots
/// in ``IndexOptionRoots`` (SPX, SPXW, XSP, NDX, RUT, VIX, OEX, DJX …), never inferred from being
/// cash-settled or European (`tax-rules.md` §3). Options on ETFs such as SPY or QQQ are equity
/// options and are taxed like stock. Every gain or loss on a 1256 contract is 60 % long-term and
/// 40 % short-term whatever the holding period (1256(a)(3)); contracts still open at year end are
/// treated as sold at their year-end price (1256(a)(1)), and the wash-sale rule does not apply.
public enum Section1256 {
    /// Whether `option` is a Section 1256 (non-equity) option.
    public static func isContract(_ option: OptionSymbol) -> Bool {
        IndexOptionRoots.isCashSettled(root: option.root)
    }

    /// The long-term (60 %) part of a 1256 gain or loss, rounded half-even to six decimals; the
    /// short-term part is the rest, so the two add up to the gain exactly.
    public static func longTermPart(of gain: Decimal6) -> Decimal6 {
        Decimal6(micros: Int64(Decimal6.divide(Int128(gain.micros) * 3, by: 5, rule: .toNearestOrEven)))
    }

    /// The short-term (40 %) part: the gain less its long-term part.
    public static func shortTermPart(of gain: Decimal6) -> Decimal6 {
        gain - longTermPart(of: gain)
    }

    /// The day year-end marks are taken on. The statute says the last business day; December 31
    /// is used as the deemed sale date so a mark belongs to the tax year whatever the calendar.
    public static func markDate(year: Int) -> MarketDate {
        MarketDate(year: year, month: 12, day: 31)!
    }
}

extension TaxState {
    /// Marks every open Section 1256 contract to `prices` (per share, like any option price) as of
    /// December 31 of `year`: each lot is deemed sold there (a disposition flagged
    /// ``Disposition/isYearEndMark``) and carries on with the marked value as its basis, so the gain
    /// or loss recognised later is only what happens after the mark (1256(a)(2)).
    ///
    /// It comes after every event of the year; an event dated on or before that December 31
    /// applied afterwards is out of order. Every open 1256 symbol must have a price.
    public mutating func markToMarket(year: Int, prices: [String: Decimal6]) throws(TaxEngineError) {
        let date = Section1256.markDate(year: year)
        let key = EventKey(day: Int32(date.daysSinceEpoch), sequence: .max)
        if let last, key <= last { throw .outOfOrder(event: 0) }
        let symbols = symbolIndex.filter { instruments[Int($0.value)].isSection1256 && !books[Int($0.value)].isEmpty }.sorted {
            $0.key < $1.key
        }
        var marks: [(symbol: Int, values: [TaxLotID: Decimal6])] = []
        for (name, index) in symbols {
            guard let price = prices[name] else { throw .missingYearEndMark(year: year, symbol: name) }
            var values: [TaxLotID: Decimal6] = [:]
            for lot in books[Int(index)].lots.values {
                values[lot.id] = try Self.amount(price, lot.quantity, OptionSymbol.contractMultiplier, event: 0)
            }
            marks.append((Int(index), values))
        }
        for (symbol, values) in marks { mark(symbol, values: values, date: date, key: key) }
        last = key
    }

    private mutating func mark(_ symbol: Int, values: [TaxLotID: Decimal6], date: MarketDate, key: EventKey) {
        for lot in books[symbol].lotsInOrder {
            let value = values[lot.id]!
            let isLong = lot.side == .long
            dispositions.append(
                Disposition(
                    symbol: lot.symbol, lotId: lot.id, eventId: 0, side: lot.side, quantity: lot.quantity, acquiredDay: lot.acquiredDay,
                    adjustedDay: lot.adjustedDay, soldDay: key.day, proceeds: isLong ? value : lot.basis,
                    basis: isLong ? lot.basis : value, washSaleAdjustment: .zero, washSaleDisallowed: .zero, section1256: true,
                    isYearEndMark: true, closedAt: key, lotOrder: lot.order, wasWashReplacement: false))
            books[symbol].update(lot.id) { $0.basis = value }
        }
    }
}
