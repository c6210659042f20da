import MBTDomain
import MBTStorage

/// Turns one fill into the tax engine's events, against the lots open at that moment.
///
/// An order says only buy or sell; the engine wants to know whether it opens or closes. A buy
/// first covers open short lots (`buy_to_cover`) and buys with the rest; a sell first sells open
/// long lots and sells short with the rest, so a fill that flips a position is two events. Stock
/// and OCC option symbols work the same (an option's quantity is in contracts).
enum FillTaxEvents {
    /// The events of `fill`, the `rank`-th fill of the user's stream, closing by `method`.
    ///
    /// The trade date is the New York date of the fill. The sequence orders events within the
    /// stream: `rank × 2`, plus 1 for the opening part of a split fill. Ranks follow the stream
    /// order (timestamp, then fill id), which an Int64 could not hold as microseconds and id
    /// together; only the order of sequences matters to the engine. Both events carry the fill's id,
    /// so a lot the fill opens is named after it.
    static func events(for fill: TaxFillRecord, rank: Int64, method: TaxLotMethod, in state: TaxState) -> [TaxEvent] {
        let date = MarketDate(containing: fill.timestamp)
        let closingSide: PositionSide = fill.side == .buy ? .short : .long
        let open = state.openLots(symbol: fill.symbol).filter { $0.side == closingSide }.reduce(Decimal6.zero) { $0 + $1.quantity }
        let closing = min(fill.quantity, open)
        let opening = fill.quantity - closing
        var events: [TaxEvent] = []
        if closing.isPositive {
            events.append(
                TaxEvent(
                    id: fill.fillId, date: date, sequence: rank * 2, action: fill.side == .buy ? .buyToCover : .sell, symbol: fill.symbol,
                    quantity: closing, price: fill.price, lotMethod: method))
        }
        if opening.isPositive {
            events.append(
                TaxEvent(
                    id: fill.fillId, date: date, sequence: rank * 2 + 1, action: fill.side == .buy ? .buy : .sellShort, symbol: fill.symbol,
                    quantity: opening, price: fill.price))
        }
        return events
    }

    /// The lot method a fill is taxed with: the one recorded when it was first taxed, else its
    /// strategy's, else the account's default. Orders carry no lot ids yet, so specific
    /// identification falls back to FIFO (what brokers do when no lots are named).
    static func method(for fill: TaxFillRecord, accountDefault: TaxLotMethod) -> TaxLotMethod {
        let method = fill.recordedLotMethod ?? fill.strategyLotMethod ?? accountDefault
        return method == .specificId ? .fifo : method
    }
}
