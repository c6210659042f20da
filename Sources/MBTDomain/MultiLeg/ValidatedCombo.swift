/// A leg that passed ``ComboValidator``: its symbol resolved and its side agreeing with its intent.
public struct ValidatedComboLeg: Sendable, Hashable {
    /// Position in the ticket, from 1, for messages that name the leg.
    public let index: Int
    public let instrument: OrderInstrument
    public let side: OrderSide
    /// Contracts (option) or shares (stock) per strategy unit, ≥ 1.
    public let ratio: Int64
    public let intent: PositionIntent

    public var symbol: String { instrument.symbol }
    public var contract: OptionSymbol? { instrument.optionContract }
    /// `+ratio` for a buy, `−ratio` for a sell: the leg's direction and size in one number.
    public var signedRatio: Int64 { side == .buy ? ratio : -ratio }
    /// `legs[n]`, the leg's name in messages.
    public var field: String { ComboError.leg(index) }
    /// `legs[n] (sell_to_open AAPL261218C00150000)`, how messages point at a leg.
    public var label: String { "\(field) (\(intent.rawValue) \(symbol))" }
}

/// A multi-leg order that passed ``ComboValidator``. Only the validator creates one, so holding a
/// value is proof of the checks: 2–4 distinct legs on one underlying, ratios with no common
/// factor, at most one stock leg (a covered call's), a whole quantity and a consistent price.
public struct ValidatedCombo: Sendable, Hashable {
    public let legs: [ValidatedComboLeg]
    /// Strategy units; each leg trades `ratio × qty`.
    public let qty: Int64
    public let type: OrderType
    public let timeInForce: TimeInForce
    /// Net per unit (debit > 0, credit < 0), in cents; present exactly for limit orders.
    public let limitPrice: Decimal6?
    /// The option root all legs share (and the stock leg's ticker).
    public let underlying: String

    init(legs: [ValidatedComboLeg], qty: Int64, type: OrderType, timeInForce: TimeInForce, limitPrice: Decimal6?, underlying: String) {
        self.legs = legs
        self.qty = qty
        self.type = type
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.underlying = underlying
    }

    /// The covered call's stock leg, if there is one.
    public var stockLeg: ValidatedComboLeg? { legs.first { $0.contract == nil } }
}
