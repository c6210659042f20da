/// An order that passed ``OrderValidator``: its symbol resolved, its quantity, price and time in
/// force consistent. Only the validator creates one, so holding a value is proof of the checks.
public struct ValidatedOrder: Sendable, Hashable {
    public let instrument: OrderInstrument
    public let side: OrderSide
    /// Shares, or whole contracts for options.
    public let quantity: Decimal6
    public let type: OrderType
    /// Present exactly when `type` is `.limit`, positive and on a valid tick.
    public let limitPrice: Decimal6?
    public let timeInForce: TimeInForce
    public let clientOrderId: String?

    init(
        instrument: OrderInstrument,
        side: OrderSide,
        quantity: Decimal6,
        type: OrderType,
        limitPrice: Decimal6?,
        timeInForce: TimeInForce,
        clientOrderId: String?
    ) {
        self.instrument = instrument
        self.side = side
        self.quantity = quantity
        self.type = type
        self.limitPrice = limitPrice
        self.timeInForce = timeInForce
        self.clientOrderId = clientOrderId
    }

    public var symbol: String { instrument.symbol }
    public var assetClass: AssetClass { instrument.assetClass }
}
