/// An account as the buying-power rule sees it: cash, marked positions and what its open orders
/// may still do (docs/buying-power.md). Held short options a held long option covers (a spread, a
/// calendar) hold back the width of their strikes, not collateral or shares (``HeldStructures``).
public struct BuyingPowerAccount: Sendable, Hashable {
    public var cash: Decimal6
    public var positions: [HeldPosition]
    /// Open orders' quantities by symbol and side, then by price: kept grouped, so adding an
    /// order and judging one cost the same whether the account has ten resting orders or thousands.
    private var openOrders: [OpenOrderSide: [Decimal6: Decimal6]] = [:]
    /// What resting multi-leg orders hold back: each one's maximum loss at its net limit
    /// (``StructureBuyingPower``), fixed when it was placed.
    public var reservedByStructures: Decimal6

    public init(
        cash: Decimal6, positions: [HeldPosition], openOrders: [OpenOrderExposure] = [], reservedByStructures: Decimal6 = .zero
    ) {
        self.cash = cash
        self.positions = positions
        self.reservedByStructures = reservedByStructures
        for order in openOrders { add(order) }
    }

    /// Free cash and what it is made of.
    public struct Breakdown: Sendable, Hashable {
        public var cash: Decimal6
        /// Regulation T: 150% of the short stock's market value (the proceeds plus 50%).
        public var shortStockRequirement: Decimal6
        /// What short puts hold back (``HeldStructures/putRequirement``): strike × 100 × contracts for
        /// a put no long put covers (cash-secured puts keep their cash), the strikes' width × 100 ×
        /// contracts for one a long put of the same root expiring no earlier covers (a put spread
        /// holds back its maximum loss). The name predates spreads and is kept for its readers.
        public var putCollateral: Decimal6
        /// What short calls covered by long calls hold back: max(0, long strike − short strike) × 100
        /// × contracts (``HeldStructures/callRequirement``). Short calls no long call covers hold
        /// back no cash; shares cover them.
        public var callSpreadRequirement: Decimal6
        public var reservedByOpenOrders: Decimal6
        /// Whether any short stock was marked by something other than its quote.
        public var shortMarks: [MarkSource]

        /// What held short options hold back, puts and calls.
        public var optionRequirement: Decimal6 { putCollateral + callSpreadRequirement }

        /// What opening orders may still spend: `buying_power`.
        public var freeCash: Decimal6 { cash - shortStockRequirement - optionRequirement - reservedByOpenOrders }
    }

    public func breakdown() throws(DecimalArithmeticError) -> Breakdown {
        var reserved = reservedByStructures
        for group in openOrders.keys {
            reserved = reserved + (try reservation(symbol: group.symbol, side: group.side))
        }
        var shortValue = Decimal6.zero
        var marks: Set<MarkSource> = []
        for position in positions where position.side == .short && position.optionContract == nil {
            shortValue = shortValue + (try position.mark.multiplied(by: position.quantity, rounding: .up))
            marks.insert(position.markSource)
        }
        let requirement = try shortValue.multiplied(by: BuyingPower.shortRequirementPercent).divided(by: Int64(100), rounding: .up)
        let structures = try HeldStructures(positions: positions)
        return Breakdown(
            cash: cash, shortStockRequirement: requirement, putCollateral: structures.putRequirement,
            callSpreadRequirement: structures.callRequirement, reservedByOpenOrders: reserved,
            shortMarks: MarkSource.allCases.filter(marks.contains))
    }

    /// The account with one more open order (merged into its symbol and side's exposure).
    public func adding(_ order: OpenOrderExposure) -> BuyingPowerAccount {
        var account = self
        account.add(order)
        return account
    }

    /// The account without `order`: its reservation released (a cancel, an expiry, or its own fill).
    public func removing(_ order: OpenOrderExposure) -> BuyingPowerAccount {
        var account = self
        account.add(OpenOrderExposure(symbol: order.symbol, side: order.side, quantity: -order.quantity, price: order.price))
        return account
    }

    private mutating func add(_ order: OpenOrderExposure) {
        let group = OpenOrderSide(symbol: order.symbol, side: order.side)
        let quantity = (openOrders[group]?[order.price] ?? .zero) + order.quantity
        openOrders[group, default: [:]][order.price] = quantity.isPositive ? quantity : nil
        if openOrders[group]?.isEmpty == true { openOrders[group] = nil }
    }

    /// One symbol and side's open orders, one exposure per price.
    private func orders(_ symbol: String, side: OrderSide) -> [OpenOrderExposure] {
        (openOrders[OpenOrderSide(symbol: symbol, side: side)] ?? [:]).map { price, quantity in
            OpenOrderExposure(symbol: symbol, side: side, quantity: quantity, price: price)
        }
    }

    // MARK: - Facts the rule needs

    /// Total size held in `symbol` on `side`.
    func quantity(of symbol: String, side: PositionSide) -> Decimal6 {
        positions.filter { $0.symbol == symbol && $0.side == side }.reduce(.zero) { $0 + $1.quantity }
    }

    func openQuantity(of symbol: String, side: OrderSide) -> Decimal6 {
        (openOrders[OpenOrderSide(symbol: symbol, side: side)] ?? [:]).values.reduce(.zero, +)
    }

    /// The part of a new order that opens or extends a position: what is left after it closes the
    /// opposite position, less what the open orders on the same side already close.
    func openingQuantity(symbol: String, side: OrderSide, quantity: Decimal6) -> Decimal6 {
        let opposite = self.quantity(of: symbol, side: side == .buy ? .short : .long)
        let closable = max(opposite - openQuantity(of: symbol, side: side), .zero)
        return max(quantity - closable, .zero)
    }

    /// Shares of `root` promised to short calls: held short calls no held long call covers
    /// (``HeldStructures``) and open orders selling calls to open, 100 per contract.
    func sharesCoveringShortCalls(on root: String) throws(DecimalArithmeticError) -> Decimal6 {
        var contracts = try HeldStructures(positions: positions).uncoveredCalls(on: root)
        let callsSold = openOrders.keys.filter { $0.side == .sell }.map(\.symbol).filter { symbol in
            Self.contract(symbol).map { $0.root == root && $0.right == .call } ?? false
        }
        for symbol in callsSold {
            contracts = contracts + max(openQuantity(of: symbol, side: .sell) - quantity(of: symbol, side: .long), .zero)
        }
        return try contracts.multiplied(by: OptionSymbol.contractMultiplier)
    }

    /// What one symbol and side's open orders hold back from free cash: buys their whole value (a
    /// buy to cover too, until it fills and frees the short's requirement); sells only their
    /// opening part, beyond the long position they close: half the value of a short sale, the
    /// collateral of a put sold to open, nothing for a covered call (it commits shares instead).
    /// Which sells close is not known until they fill, so the shares held are counted against the
    /// cheapest sells and the dearest ones are taken to open.
    func reservation(symbol: String, side: OrderSide) throws(DecimalArithmeticError) -> Decimal6 {
        let orders = orders(symbol, side: side)
        let contract = Self.contract(symbol)
        var reserved = Decimal6.zero
        switch side {
        case .buy:
            for order in orders {
                reserved =
                    reserved + (try order.value(of: order.quantity).multiplied(by: contract == nil ? 1 : OptionSymbol.contractMultiplier))
            }
        case .sell:
            var closable = quantity(of: symbol, side: .long)
            for order in orders.sorted(by: { $0.price < $1.price }) {
                let closing = min(closable, order.quantity)
                closable = closable - closing
                let opening = order.quantity - closing
                guard opening.isPositive else { continue }
                if let contract {
                    if contract.right == .put { reserved = reserved + (try Self.collateral(contract, contracts: opening)) }
                } else {
                    let percent = BuyingPower.shortRequirementPercent - 100
                    reserved = reserved + (try order.value(of: opening).multiplied(by: percent).divided(by: Int64(100), rounding: .up))
                }
            }
        }
        return reserved
    }

    static func collateral(_ contract: OptionSymbol, contracts: Decimal6) throws(DecimalArithmeticError) -> Decimal6 {
        try contract.strike.multiplied(by: contracts.multiplied(by: OptionSymbol.contractMultiplier), rounding: .up)
    }

    private struct OpenOrderSide: Hashable {
        let symbol: String
        let side: OrderSide
    }

    static func contract(_ symbol: String) -> OptionSymbol? {
        OptionSymbol.isOptionSymbol(symbol) ? try? OptionSymbol(parsing: symbol) : nil
    }
}
