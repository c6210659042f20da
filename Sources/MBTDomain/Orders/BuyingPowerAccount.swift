/// An account as the buying-power rule sees it: cash, marked positions and what its open orders
/// may still do (docs/buying-power.md).
public struct BuyingPowerAccount: Sendable, Hashable {
    public var cash: Decimal6
    public var positions: [HeldPosition]
    /// Open orders, one exposure per symbol and side.
    public private(set) var openOrders: [OpenOrderExposure]

    public init(cash: Decimal6, positions: [HeldPosition], openOrders: [OpenOrderExposure] = []) {
        self.cash = cash
        self.positions = positions
        self.openOrders = []
        for order in openOrders { add(order) }
    }

    /// Free cash and what it is made of.
    public struct Breakdown: Sendable, Hashable {
        public var cash: Decimal6
        /// Regulation T: 150% of the short stock's market value (the proceeds plus 50%).
        public var shortStockRequirement: Decimal6
        /// Strike × 100 × contracts of every short put: cash-secured puts keep their cash.
        public var putCollateral: Decimal6
        public var reservedByOpenOrders: Decimal6
        /// Whether any short stock was marked by something other than its quote.
        public var shortMarks: [MarkSource]

        /// What opening orders may still spend: `buying_power`.
        public var freeCash: Decimal6 { cash - shortStockRequirement - putCollateral - reservedByOpenOrders }
    }

    public func breakdown() throws(DecimalArithmeticError) -> Breakdown {
        var reserved = Decimal6.zero
        for order in openOrders { reserved = reserved + (try reservation(of: order)) }
        var shortValue = Decimal6.zero
        var collateral = Decimal6.zero
        var marks: Set<MarkSource> = []
        for position in positions where position.side == .short {
            if let contract = position.optionContract {
                if contract.right == .put { collateral = collateral + (try Self.collateral(contract, contracts: position.quantity)) }
            } else {
                shortValue = shortValue + (try position.mark.multiplied(by: position.quantity, rounding: .up))
                marks.insert(position.markSource)
            }
        }
        let requirement = try shortValue.multiplied(by: BuyingPower.shortRequirementPercent).divided(by: Int64(100), rounding: .up)
        return Breakdown(
            cash: cash, shortStockRequirement: requirement, putCollateral: collateral, reservedByOpenOrders: reserved,
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
        account.add(OpenOrderExposure(symbol: order.symbol, side: order.side, quantity: -order.quantity, value: -order.value))
        return account
    }

    private mutating func add(_ order: OpenOrderExposure) {
        if let index = openOrders.firstIndex(where: { $0.key == order.key }) {
            openOrders[index].quantity = openOrders[index].quantity + order.quantity
            openOrders[index].value = openOrders[index].value + order.value
            if !openOrders[index].quantity.isPositive { openOrders.remove(at: index) }
        } else if order.quantity.isPositive {
            openOrders.append(order)
        }
    }

    // MARK: - Facts the rule needs

    /// Total size held in `symbol` on `side`.
    func quantity(of symbol: String, side: PositionSide) -> Decimal6 {
        positions.filter { $0.symbol == symbol && $0.side == side }.reduce(.zero) { $0 + $1.quantity }
    }

    func openQuantity(of symbol: String, side: OrderSide) -> Decimal6 {
        openOrders.first { $0.symbol == symbol && $0.side == side }?.quantity ?? .zero
    }

    /// The part of a new order that opens or extends a position: what is left after it closes the
    /// opposite position, less what the open orders on the same side already close.
    func openingQuantity(symbol: String, side: OrderSide, quantity: Decimal6) -> Decimal6 {
        let opposite = self.quantity(of: symbol, side: side == .buy ? .short : .long)
        let closable = max(opposite - openQuantity(of: symbol, side: side), .zero)
        return max(quantity - closable, .zero)
    }

    /// Shares of `root` promised to short calls: held short calls and open orders selling calls to
    /// open, 100 per contract.
    func sharesCoveringShortCalls(on root: String) throws(DecimalArithmeticError) -> Decimal6 {
        var contracts = Decimal6.zero
        for position in positions where position.side == .short {
            guard let contract = position.optionContract, contract.root == root, contract.right == .call else { continue }
            contracts = contracts + position.quantity
        }
        for order in openOrders where order.side == .sell {
            guard let contract = Self.contract(order.symbol), contract.root == root, contract.right == .call else { continue }
            contracts = contracts + max(order.quantity - quantity(of: order.symbol, side: .long), .zero)
        }
        return try contracts.multiplied(by: OptionSymbol.contractMultiplier)
    }

    /// What one symbol and side's open orders hold back from free cash: buys their whole value (a
    /// buy to cover too, until it fills and frees the short's requirement); sells only their
    /// opening part, beyond the long position they close: half the value of a short sale, the
    /// collateral of a put sold to open, nothing for a covered call (it commits shares instead).
    func reservation(of order: OpenOrderExposure) throws(DecimalArithmeticError) -> Decimal6 {
        let contract = Self.contract(order.symbol)
        switch order.side {
        case .buy:
            return try order.value.multiplied(by: contract == nil ? 1 : OptionSymbol.contractMultiplier)
        case .sell:
            let opening = max(order.quantity - quantity(of: order.symbol, side: .long), .zero)
            guard opening.isPositive else { return .zero }
            guard let contract else {
                let openingValue = try order.value.multiplied(by: opening, rounding: .up).divided(by: order.quantity, rounding: .up)
                return try openingValue.multiplied(by: BuyingPower.shortRequirementPercent - 100).divided(by: Int64(100), rounding: .up)
            }
            return contract.right == .put ? try Self.collateral(contract, contracts: opening) : .zero
        }
    }

    static func collateral(_ contract: OptionSymbol, contracts: Decimal6) throws(DecimalArithmeticError) -> Decimal6 {
        try contract.strike.multiplied(by: contracts.multiplied(by: OptionSymbol.contractMultiplier), rounding: .up)
    }

    static func contract(_ symbol: String) -> OptionSymbol? {
        OptionSymbol.isOptionSymbol(symbol) ? try? OptionSymbol(parsing: symbol) : nil
    }
}
