/// The leg checks of ``ComboValidator``: each leg on its own, then how the legs fit together.
extension ComboValidator {
    /// The legs that resolved, and the problems of each leg on its own (count, symbol, ratio, side).
    static func resolveLegs(_ legs: [ComboLeg], limits: OrderLimits) -> ([ValidatedComboLeg], [ComboError]) {
        var problems: [ComboError] = []
        if !legCount.contains(legs.count) {
            problems.append(
                ComboError(field: "legs", "a combo has \(legCount.lowerBound) to \(legCount.upperBound) legs (got \(legs.count))"))
        }
        var resolved: [ValidatedComboLeg] = []
        for (offset, leg) in legs.enumerated() {
            switch resolve(leg, index: offset + 1, limits: limits) {
            case .success(let valid): resolved.append(valid)
            case .failure(let problem): problems.append(problem)
            }
        }
        return (resolved, problems)
    }

    /// One leg: a known symbol, a ratio of at least 1, and a side its intent agrees with.
    static func resolve(_ leg: ComboLeg, index: Int, limits: OrderLimits) -> Result<ValidatedComboLeg, ComboError> {
        let instrument: OrderInstrument
        switch OrderInstrument.resolve(leg.symbol) {
        case .success(let resolved): instrument = resolved
        case .failure(let rejection): return .failure(ComboError(field: ComboError.leg(index, "symbol"), rejection.message))
        }
        let maximum = instrument.optionContract == nil ? limits.maximumShares.wholePart : limits.maximumContracts.wholePart
        guard leg.ratioQty >= 1, Int64(leg.ratioQty) <= maximum else {
            return .failure(
                ComboError(field: ComboError.leg(index, "ratio_qty"), "ratio_qty must be between 1 and \(maximum) (got \(leg.ratioQty))"))
        }
        guard leg.side == leg.positionIntent.side else {
            return .failure(
                ComboError(
                    field: ComboError.leg(index, "side"),
                    "position_intent \(leg.positionIntent.rawValue) needs side \(leg.positionIntent.side.rawValue) "
                        + "(got \(leg.side.rawValue))"
                ))
        }
        return .success(
            ValidatedComboLeg(index: index, instrument: instrument, side: leg.side, ratio: Int64(leg.ratioQty), intent: leg.positionIntent))
    }

    /// Each leg a different contract: two legs in one symbol are one leg with a netted quantity.
    static func duplicateProblem(_ legs: [ValidatedComboLeg]) -> ComboError? {
        for (position, leg) in legs.enumerated() {
            if let earlier = legs[..<position].first(where: { $0.symbol == leg.symbol }) {
                return ComboError(
                    field: ComboError.leg(leg.index, "symbol"),
                    "\(leg.symbol) is also \(earlier.field); each leg must be a different symbol")
            }
        }
        return nil
    }

    /// One underlying: every option on the first option's root, and the stock leg that root's shares.
    static func underlyingProblem(_ legs: [ValidatedComboLeg]) -> ComboError? {
        guard let first = legs.first(where: { $0.contract != nil }), let root = first.contract?.root else {
            return legs.isEmpty
                ? nil : ComboError(field: "legs", "a combo needs option legs; a stock leg is allowed only beside a call (covered call)")
        }
        for leg in legs {
            let underlying = leg.contract?.root ?? leg.symbol
            if underlying != root {
                return ComboError(
                    field: ComboError.leg(leg.index, "symbol"),
                    "all legs must be on one underlying: \(leg.symbol) is on \(underlying), \(first.field) on \(root)")
            }
        }
        return nil
    }

    /// A stock leg only as a covered call: exactly the stock and one call, buying the shares with
    /// the call sold to open (a buy-write), or selling them with the call bought to close (the
    /// unwind). Anything else would be a short sale or an unhedged share purchase in disguise.
    static func stockLegProblem(_ legs: [ValidatedComboLeg]) -> ComboError? {
        let stocks = legs.filter { $0.contract == nil }
        guard let stock = stocks.first else { return nil }
        if stocks.count > 1 {
            return ComboError(field: ComboError.leg(stocks[1].index, "symbol"), "a combo may have only one stock leg (a covered call's)")
        }
        let options = legs.filter { $0.contract != nil }
        guard legs.count == 2, let call = options.first, call.contract?.right == .call else {
            return ComboError(field: "legs", "a stock leg is allowed only in a covered call: the stock leg and one call leg")
        }
        switch (stock.intent, call.intent) {
        case (.buyToOpen, .sellToOpen), (.sellToClose, .buyToClose):
            return nil
        default:
            return ComboError(
                field: ComboError.leg(stock.index, "position_intent"),
                "a stock leg either buys shares to open a covered call (with the call sell_to_open) or sells them to close one "
                    + "(with the call buy_to_close); got \(stock.intent.rawValue) with \(call.intent.rawValue)")
        }
    }

    /// The stock leg carries 100 shares per call contract: its `ratio_qty` is 100 × the call's.
    static func stockRatioProblem(_ legs: [ValidatedComboLeg]) -> ComboError? {
        guard legs.count == 2, let stock = legs.first(where: { $0.contract == nil }), let call = legs.first(where: { $0.contract != nil })
        else {
            return nil
        }
        let (shares, overflow) = call.ratio.multipliedReportingOverflow(by: sharesPerContract)
        guard overflow || stock.ratio != shares else { return nil }
        return ComboError(
            field: ComboError.leg(stock.index, "ratio_qty"),
            "the stock leg's ratio_qty counts shares: 100 per call contract, so \(shares) for \(call.field)'s ratio_qty \(call.ratio) "
                + "(got \(stock.ratio))"
        )
    }

    /// Ratios in lowest terms: a common factor is a bigger `qty`, and two spellings of one order
    /// would price and reserve differently.
    static func commonFactorProblem(_ legs: [ValidatedComboLeg]) -> ComboError? {
        guard legs.count >= 2 else { return nil }
        let factor = legs.map(\.ratio).reduce(0, gcd)
        guard factor > 1 else { return nil }
        let ratios = legs.map { String($0.ratio) }.joined(separator: ":")
        return ComboError(
            field: "legs.ratio_qty",
            "ratio_qty values \(ratios) share the factor \(factor); divide each by \(factor) and multiply qty by \(factor)")
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        b == 0 ? a : gcd(b, a % b)
    }
}
