/// What one strategy unit is worth at expiry, per share, as a function of the underlying's price.
///
/// Options are worth their intrinsic value at expiry and shares their price, so the value is
/// piecewise linear with kinks only at strikes: its minimum and maximum lie at a kink, at a price
/// of 0, or at infinity, where the slope is the calls' net ratio (plus the shares). Evaluating
/// those few points is exact, unlike sampling a grid.
struct ExpiryPayoff: Sendable {
    /// One position per strategy unit: an option (`contract`) or shares (`contract == nil`), with
    /// `units` signed (+ long, − short) in contracts, or in hundreds of shares for stock.
    struct Position: Sendable, Hashable {
        let contract: OptionSymbol?
        let units: Int64
    }

    let positions: [Position]

    /// Value per share of one unit when the underlying is at `price`.
    func value(at price: Decimal6) throws(DecimalArithmeticError) -> Decimal6 {
        var total = Decimal6.zero
        for position in positions {
            total = total + (try Self.intrinsic(position.contract, at: price).multiplied(by: position.units))
        }
        return total
    }

    /// Prices where the slope may change: 0 and every strike, ascending.
    var kinks: [Decimal6] {
        Array(Set([.zero] + positions.compactMap { $0.contract?.strike })).sorted()
    }

    /// Value gained per dollar of the underlying between `kink` and the next kink above it (or
    /// forever, above the last): the long calls and shares in the money there, less the shorts,
    /// and the puts likewise with the opposite sign.
    func slope(above kink: Decimal6) -> Int64 {
        positions.reduce(0) { slope, position in
            guard let contract = position.contract else { return slope + position.units }
            switch contract.right {
            case .call: return contract.strike <= kink ? slope + position.units : slope
            case .put: return contract.strike > kink ? slope - position.units : slope
            }
        }
    }

    /// Slope above every strike: negative means the value falls without bound as the price rises.
    var tailSlope: Int64 { slope(above: kinks.last ?? .zero) }

    /// The lowest value over all prices; `nil` when unbounded below.
    func minimum() throws(DecimalArithmeticError) -> Decimal6? {
        guard tailSlope >= 0 else { return nil }
        return try kinks.map { (price) throws(DecimalArithmeticError) in try value(at: price) }.min()
    }

    /// The highest value over all prices; `nil` when unbounded above.
    func maximum() throws(DecimalArithmeticError) -> Decimal6? {
        guard tailSlope <= 0 else { return nil }
        return try kinks.map { (price) throws(DecimalArithmeticError) in try value(at: price) }.max()
    }

    /// Prices above 0 where value − `cost` changes sign (or touches zero at a kink), ascending.
    /// Crossings inside a segment are rounded half-even to six decimals.
    func breakEvens(cost: Decimal6) throws(DecimalArithmeticError) -> [Decimal6] {
        var points: Set<Decimal6> = []
        for kink in kinks {
            let level = try value(at: kink) - cost
            if level.isZero { points.insert(kink) }
            let slope = slope(above: kink)
            guard slope != 0, level.isNegative != (slope < 0), !level.isZero else { continue }
            // The line from this kink reaches zero at kink − level / slope; it counts if that is before the next kink.
            let crossing = kink - (try level.divided(by: slope))
            if let next = kinks.first(where: { $0 > kink }), crossing >= next { continue }
            points.insert(crossing)
        }
        return points.filter(\.isPositive).sorted()
    }

    static func intrinsic(_ contract: OptionSymbol?, at price: Decimal6) -> Decimal6 {
        guard let contract else { return price }
        switch contract.right {
        case .call: return max(price - contract.strike, .zero)
        case .put: return max(contract.strike - price, .zero)
        }
    }
}
