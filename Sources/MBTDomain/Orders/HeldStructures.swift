/// Held short options whose loss a held long option bounds, and what each one holds back from free
/// cash (``BuyingPowerAccount/breakdown()``).
///
/// A short option is *covered* by a long option of the same root and right that expires on the same
/// day as the short or later: until the short expires the long can be exercised or sold against
/// it, so the pair can lose at most the strikes' width. The premium the short brought in is already
/// in cash, so it is not counted again. Per pair:
///
///     put pair:  max(0, short strike − long strike) × 100 × contracts
///     call pair: max(0, long strike − short strike) × 100 × contracts
///
/// A put credit spread (short 100P, long 95P) holds back 500 per contract instead of the short
/// put's 10,000 of collateral; a calendar (the long expiring later) counts as covering; a long that
/// expires before the short does not. A short put no long covers keeps its collateral, strike ×
/// 100 × contracts. A short call no long covers reserves no cash and must be covered by shares, as
/// before (``BuyingPowerAccount/sharesCoveringShortCalls(on:)`` counts only these).
///
/// Quantities split: 3 shorts against 2 longs leave 1 short unpaired, and one long covers several
/// shorts up to its own quantity. Which short pairs with which long is chosen, per root and right,
/// to cost the least:
///
/// - puts: the pairing with the smallest total requirement (each pair costs less than the
///   collateral it replaces, but pairing as many as possible is not always cheapest);
/// - calls: as many short calls covered as the long calls allow (each one covered frees 100
///   shares), and among those pairings the one with the smallest total width.
///
/// The order: chains of pairs are added one at a time, cheapest first, where a chain may move
/// pairs made earlier to other longs, until no chain lowers the requirement (puts) or none is
/// left (calls); ``HeldStructurePairing`` has the details. Pairing each short in turn with the best
/// long still free is not enough once expiries differ: short 100P March and short 80P June against
/// long 100P June and long 90P March, taking the highest long strike first pairs the two 100s and
/// leaves the 80P at 8,000 of collateral; crosswise the requirement is 1,000.
///
/// Short and long quantities are summed per symbol first; symbols that are not options and long
/// options no short needs are ignored. Amounts round up, like the collateral they replace.
public struct HeldStructures: Sendable, Hashable {
    /// Contracts of one short option covered by one long option, and what they hold back.
    public struct Pair: Sendable, Hashable {
        public let short: OptionSymbol
        public let long: OptionSymbol
        public let contracts: Decimal6
        /// The width × 100 × contracts (0 when the long is at least as deep in the money).
        public let requirement: Decimal6
    }

    /// Contracts of a short option no long covers.
    public struct Unpaired: Sendable, Hashable {
        public let short: OptionSymbol
        public let contracts: Decimal6
        /// Puts: the collateral, strike × 100 × contracts. Calls: 0; shares must cover them.
        public let requirement: Decimal6
    }

    /// In the order of the short's symbol, then the long's.
    public let pairs: [Pair]
    /// In the order of the short's symbol.
    public let unpaired: [Unpaired]

    public init(positions: [HeldPosition]) throws(DecimalArithmeticError) {
        let shorts = Self.totals(positions, side: .short)
        let longs = Self.totals(positions, side: .long)
        var pairs: [Pair] = []
        var unpaired: [Unpaired] = []
        for group in Self.groups(shorts) {
            let groupShorts = shorts.filter { group.contains($0.contract) }
            let groupLongs = longs.filter { group.contains($0.contract) }
            let flows = HeldStructurePairing.pair(
                shorts: groupShorts.map(\.quantity), longs: groupLongs.map(\.quantity),
                covers: { short, long in groupLongs[long].contract.expiry >= groupShorts[short].contract.expiry },
                perShareCost: { short, long in
                    Self.perShareCost(short: groupShorts[short].contract, long: groupLongs[long].contract)
                },
                coverAll: group.right == .call)
            for (index, short) in groupShorts.enumerated() {
                var left = short.quantity
                for (longIndex, long) in groupLongs.enumerated() {
                    let contracts = flows[index][longIndex]
                    guard contracts.isPositive else { continue }
                    left = left - contracts
                    pairs.append(
                        Pair(
                            short: short.contract, long: long.contract, contracts: contracts,
                            requirement: try Self.width(short: short.contract, long: long.contract)
                                .multiplied(by: contracts.multiplied(by: OptionSymbol.contractMultiplier), rounding: .up)))
                }
                guard left.isPositive else { continue }
                let requirement = short.contract.right == .put ? try BuyingPowerAccount.collateral(short.contract, contracts: left) : .zero
                unpaired.append(Unpaired(short: short.contract, contracts: left, requirement: requirement))
            }
        }
        self.pairs = pairs
        self.unpaired = unpaired
    }

    /// What short puts hold back: each pair's width and each unpaired put's collateral.
    public var putRequirement: Decimal6 { requirement(of: .put) }

    /// What short calls covered by long calls hold back: each pair's width. Unpaired short calls hold
    /// back no cash (shares cover them).
    public var callRequirement: Decimal6 { requirement(of: .call) }

    /// Short call contracts on `root` no long call covers: what shares must cover.
    public func uncoveredCalls(on root: String) -> Decimal6 {
        unpaired.filter { $0.short.root == root && $0.short.right == .call }.reduce(.zero) { $0 + $1.contracts }
    }

    private func requirement(of right: OptionSymbol.Right) -> Decimal6 {
        pairs.filter { $0.short.right == right }.reduce(.zero) { $0 + $1.requirement }
            + unpaired.filter { $0.short.right == right }.reduce(.zero) { $0 + $1.requirement }
    }

    // MARK: - The rule's parts

    /// The strikes' width a pair can lose per share: max(0, short − long) for puts, max(0, long −
    /// short) for calls.
    static func width(short: OptionSymbol, long: OptionSymbol) -> Decimal6 {
        let width = short.right == .put ? short.strike - long.strike : long.strike - short.strike
        return max(width, .zero)
    }

    /// What pairing costs per share against leaving the short unpaired. A put pair costs its width
    /// instead of the strike: −min(short strike, long strike). A call pair costs its width (an
    /// unpaired call costs shares, not cash, and pairing as many as possible comes first).
    static func perShareCost(short: OptionSymbol, long: OptionSymbol) -> Decimal6 {
        short.right == .put ? -min(short.strike, long.strike) : width(short: short, long: long)
    }

    /// One option symbol's summed quantity on one side.
    struct Holding {
        let contract: OptionSymbol
        let quantity: Decimal6
    }

    /// The option positions on `side`, summed per symbol, in symbol order.
    static func totals(_ positions: [HeldPosition], side: PositionSide) -> [Holding] {
        var quantities: [OptionSymbol: Decimal6] = [:]
        for position in positions where position.side == side && position.quantity.isPositive {
            guard let contract = position.optionContract else { continue }
            quantities[contract, default: .zero] = quantities[contract, default: .zero] + position.quantity
        }
        return quantities.keys.sorted().map { Holding(contract: $0, quantity: quantities[$0]!) }
    }

    /// Options that can cover each other: one root, one right.
    struct Group: Hashable, Comparable {
        let root: String
        let right: OptionSymbol.Right

        func contains(_ contract: OptionSymbol) -> Bool { contract.root == root && contract.right == right }

        static func < (lhs: Group, rhs: Group) -> Bool {
            (lhs.root, lhs.right.rawValue) < (rhs.root, rhs.right.rawValue)
        }
    }

    static func groups(_ shorts: [Holding]) -> [Group] {
        Set(shorts.map { Group(root: $0.contract.root, right: $0.contract.right) }).sorted()
    }
}
