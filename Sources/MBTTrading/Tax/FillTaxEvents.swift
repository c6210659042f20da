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
        if let rule = fill.rule, rule.isExpiry {
            return expiryEvents(for: fill, rule: rule, date: date, sequence: rank * 2, method: method)
        }
        if fill.rule == .split { return splitEvents(for: fill, date: date, sequence: rank * 2, in: state) }
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

    /// An expiry job's fills as the tax engine's atomic events (docs/jobs.md): the option's fill
    /// is the exercise, assignment or expiry, which also moves the premium into the delivered
    /// shares; the shares' own fill is part of that event and adds nothing.
    private static func expiryEvents(for fill: TaxFillRecord, rule: FillRule, date: MarketDate, sequence: Int64, method: TaxLotMethod)
        -> [TaxEvent]
    {
        guard fill.assetClass == .option, let contract = try? OptionSymbol(parsing: fill.symbol) else { return [] }
        // A long closes by selling: exercised; a short by buying: assigned.
        let action: TaxEvent.Action
        switch rule {
        case .expiry: action = .expire
        case .exercise, .assignment, .cashSettlement: action = fill.side == .sell ? .exercise : .assign
        default: return []
        }
        // The engine takes the underlying's price: the strike plus (calls) or less (puts) what the
        // contract paid out, which is 0 for delivered contracts (they settle at the strike).
        let underlying = contract.right == .call ? contract.strike + fill.price : contract.strike - fill.price
        return [
            TaxEvent(
                id: fill.fillId, date: date, sequence: sequence, action: action, symbol: fill.symbol, quantity: fill.quantity,
                price: max(underlying, .zero), lotMethod: method)
        ]
    }

    /// A split's fill moves the position by its quantity (a buy adds shares, a sell removes them,
    /// from the open side's point of view for a long; the other way for a short): the engine
    /// rescales the open lots to the position after it (docs/jobs.md).
    private static func splitEvents(for fill: TaxFillRecord, date: MarketDate, sequence: Int64, in state: TaxState) -> [TaxEvent] {
        let lots = state.openLots(symbol: fill.symbol)
        let signedOpen = lots.reduce(Decimal6.zero) { $0 + ($1.side == .long ? $1.quantity : .zero - $1.quantity) }
        let after = signedOpen + (fill.side == .buy ? fill.quantity : .zero - fill.quantity)
        guard !after.isZero else { return [] }
        return [
            TaxEvent(
                id: fill.fillId, date: date, sequence: sequence, action: .split, symbol: fill.symbol, quantity: after.magnitude,
                price: .zero)
        ]
    }

    /// The lot method a fill is taxed with: the one the ledger recorded on it, else (a fill
    /// stored without one) its strategy's, else the account's default.
    static func method(for fill: TaxFillRecord, accountDefault: TaxLotMethod) -> TaxLotMethod {
        .forFill(strategy: fill.recordedLotMethod ?? fill.strategyLotMethod, account: accountDefault)
    }
}
