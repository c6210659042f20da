/// Builds an iron condor from one expiry's chain: picks the short strikes by delta or
/// as given, the wings `wing_width` beyond them, and previews the result priced at the mids (or
/// the limit) with its buying-power requirement from ``StructureBuyingPower``.
///
/// Only listed strikes are used: a wing lands on the listed strike nearest short ± width, and a
/// width too narrow for the listing (the nearest strike is the short one) is an error rather than a
/// silent collapse into a naked short. Errors name the request field (`expiry`, `short_call_delta`,
/// `wing_width`, `qty`, `limit_price`, …).
public enum IronCondorBuilder {
    public static func build(
        _ request: IronCondorRequest, chain: [OptionChainEntry], limits: OrderLimits = .standard
    ) -> Result<IronCondorPreview, ComboError> {
        if let problem = inputProblem(request) { return .failure(problem) }
        let listed = chain.filter { $0.symbol.root == request.underlying && $0.symbol.expiry == request.expiry }
        let calls = listed.filter { $0.right == .call }
        let puts = listed.filter { $0.right == .put }
        guard !calls.isEmpty, !puts.isEmpty else {
            return .failure(
                ComboError(
                    field: "expiry",
                    "the chain lists no \(calls.isEmpty ? "calls" : "puts") for \(request.underlying) expiring \(request.expiry)"))
        }
        return shorts(request, calls: calls, puts: puts).flatMap { shortPut, shortCall in
            wings(request.wingWidth, shortPut: shortPut, shortCall: shortCall, calls: calls, puts: puts).flatMap { longPut, longCall in
                preview(request, [longPut, shortPut, shortCall, longCall], limits: limits)
            }
        }
    }

    /// Checks that need no chain: the width, the targets, and a credit limit.
    static func inputProblem(_ request: IronCondorRequest) -> ComboError? {
        guard request.wingWidth.isPositive else {
            return ComboError(field: "wing_width", "wing_width must be greater than 0 (got \(request.wingWidth))")
        }
        if case .deltas(let call, let put) = request.shortStrikes {
            for (field, delta) in [("short_call_delta", call), ("short_put_delta", put)]
            where !(delta.isPositive && delta < Decimal6("0.5")) {
                return ComboError(
                    field: field, "\(field) must be between 0 and 0.5, exclusive (got \(delta)); give the put's as a positive number")
            }
        }
        if let limit = request.limitPrice, !limit.isNegative {
            return ComboError(
                field: "limit_price", "an iron condor is sold for a credit: limit_price is negative, e.g. -1.20 to collect at least 1.20")
        }
        return nil
    }

    // MARK: - Strikes

    static func shorts(_ request: IronCondorRequest, calls: [OptionChainEntry], puts: [OptionChainEntry])
        -> Result<(OptionChainEntry, OptionChainEntry), ComboError>
    {
        let picked: Result<(OptionChainEntry, OptionChainEntry), ComboError>
        let putField: String
        switch request.shortStrikes {
        case .deltas(let callDelta, let putDelta):
            putField = "short_put_delta"
            picked = byDelta(putDelta, in: puts, field: putField, request).flatMap { put in
                byDelta(callDelta, in: calls, field: "short_call_delta", request).map { (put, $0) }
            }
        case .strikes(let callStrike, let putStrike):
            putField = "short_put_strike"
            picked = byStrike(putStrike, in: puts, field: putField, request).flatMap { put in
                byStrike(callStrike, in: calls, field: "short_call_strike", request).map { (put, $0) }
            }
        }
        return picked.flatMap { put, call in
            guard put.strike < call.strike else {
                return .failure(
                    ComboError(field: putField, "the short put strike \(put.strike) must be below the short call strike \(call.strike)"))
            }
            return .success((put, call))
        }
    }

    static func byDelta(
        _ target: Decimal6, in entries: [OptionChainEntry], field: String, _ request: IronCondorRequest
    ) -> Result<OptionChainEntry, ComboError> {
        guard let entry = StrikePicker.nearest(delta: target, in: entries) else {
            return .failure(
                ComboError(
                    field: field,
                    "no contract listed for \(request.underlying) expiring \(request.expiry) has a delta; give strikes instead"))
        }
        return .success(entry)
    }

    static func byStrike(
        _ strike: Decimal6, in entries: [OptionChainEntry], field: String, _ request: IronCondorRequest
    ) -> Result<OptionChainEntry, ComboError> {
        if let entry = entries.first(where: { $0.strike == strike }) { return .success(entry) }
        let nearest = StrikePicker.nearest(strike: strike, in: entries).map { "; nearest listed: \($0.strike)" } ?? ""
        return .failure(
            ComboError(field: field, "\(field) \(strike) is not listed for \(request.underlying) expiring \(request.expiry)\(nearest)"))
    }

    /// The listed strikes nearest short put − width and short call + width.
    static func wings(
        _ width: Decimal6, shortPut: OptionChainEntry, shortCall: OptionChainEntry, calls: [OptionChainEntry], puts: [OptionChainEntry]
    )
        -> Result<(OptionChainEntry, OptionChainEntry), ComboError>
    {
        wing(beyond: shortPut, target: shortPut.strike - width, width: width, in: puts).flatMap { put in
            wing(beyond: shortCall, target: shortCall.strike + width, width: width, in: calls).map { (put, $0) }
        }
    }

    static func wing(
        beyond short: OptionChainEntry, target: Decimal6, width: Decimal6, in entries: [OptionChainEntry]
    ) -> Result<OptionChainEntry, ComboError> {
        guard let wing = StrikePicker.nearest(strike: target, in: entries), wing.strike != short.strike else {
            let kind = short.right == .call ? "call" : "put"
            return .failure(
                ComboError(
                    field: "wing_width",
                    "wing_width \(width) lands on no listed \(kind) beyond the short \(kind) strike \(short.strike): "
                        + "the nearest listed strike to \(target) is the short strike itself; widen the wings"
                ))
        }
        return .success(wing)
    }

    // MARK: - Preview

    /// The ticket for the four contracts, priced at the mids and judged by the buying-power rule.
    static func preview(
        _ request: IronCondorRequest, _ entries: [OptionChainEntry], limits: OrderLimits
    ) -> Result<IronCondorPreview, ComboError> {
        let intents: [PositionIntent] = [.buyToOpen, .sellToOpen, .sellToOpen, .buyToOpen]
        let legs = zip(entries, intents).map { ComboLeg(contract: $0.symbol, positionIntent: $1) }
        let ticket = ComboTicket(
            legs: legs, qty: request.qty, orderType: request.limitPrice == nil ? .market : .limit, timeInForce: .day,
            limitPrice: request.limitPrice)
        return ComboValidator.validate(ticket, limits: limits).flatMap { combo in
            mids(entries).flatMap { mids in
                priced(combo, ticket: ticket, strikes: entries.map(\.strike), mids: mids, limit: request.limitPrice)
            }
        }
    }

    static func mids(_ entries: [OptionChainEntry]) -> Result<[Decimal6], ComboError> {
        var mids: [Decimal6] = []
        for (offset, entry) in entries.enumerated() {
            guard let mid = entry.usableMid else {
                return .failure(
                    ComboError(
                        field: ComboError.leg(offset + 1),
                        "no usable quote for \(entry.symbol)" + (entry.quote.map { " (bid \($0.bid), ask \($0.ask))" } ?? "")))
            }
            mids.append(mid)
        }
        return .success(mids)
    }

    static func priced(
        _ combo: ValidatedCombo, ticket: ComboTicket, strikes: [Decimal6], mids: [Decimal6], limit: Decimal6?
    ) -> Result<IronCondorPreview, ComboError> {
        do {
            let netMid = try ComboPricing.netPrice(combo, legPrices: mids)
            guard netMid.isNegative else {
                return .failure(
                    ComboError(
                        field: "expiry", "the quotes price this condor at a net debit of \(netMid), not a credit; check the chain's quotes")
                )
            }
            let pricedAt = limit ?? netMid
            guard case .allowed(let risk) = StructureBuyingPower.evaluate(combo, netPrice: pricedAt) else {
                return .failure(ComboError(field: "legs", "the four legs do not form a covered structure"))
            }
            let credit = -pricedAt
            return .success(
                IronCondorPreview(
                    ticket: ticket, longPutStrike: strikes[0], shortPutStrike: strikes[1], shortCallStrike: strikes[2],
                    longCallStrike: strikes[3],
                    netCredit: -netMid, pricedAt: pricedAt,
                    maxProfit: try risk.maxProfit ?? StructureBuyingPower.dollars(credit, qty: combo.qty),
                    maxLoss: risk.requirement, breakEvenLow: strikes[1] - credit, breakEvenHigh: strikes[2] + credit,
                    buyingPowerRequired: risk.requirement))
        } catch {
            return .failure(ComboError(field: "qty", "the condor's value is out of range; reduce qty"))
        }
    }
}
