/// Wash sales (IRC §1091): a loss is disallowed, share for share, when substantially identical
/// positions are acquired from 30 days before to 30 days after the sale (the 61-day window, on trade
/// dates), and the disallowed loss moves into the replacement's basis and holding period.
///
/// Matching runs as events arrive, in stream order, from both ends of the window:
/// - **At a loss sale**, the open lots of the family acquired in the 30 days before (and that day)
///   absorb the loss, earliest acquired first (Pub 550's Feb 11/12 example). Lots closed by the same
///   event are already gone, so one multi-lot sale never washes itself (bbreslauer #7), and same-day
///   loss pieces are matched in the order the sold lots were acquired (Reg. 1.1091-1(c)).
/// - **At an acquisition**, loss sales of the 30 days before with shares still unmatched are
///   washed, earliest sale first; this re-opens a loss already reported (the post-fill hook sees it
///   immediately, a rebuild the same way).
///
/// Rules enforced everywhere: only losses (measured against the wash-adjusted basis, so chains
/// re-wash) are washed; a replacement share absorbs one loss only (Reg. 1.1091-1(e), adlr #3); shares
/// from the sold lot's own buy order never replace it (Fairmark, adlr #1); the disallowed amount is
/// the loss per share times matched shares, sliced exactly so it never exceeds the loss (FinSight-AI
/// #1530); replacement lots that absorb only part of a loss are split. Short positions mirror long
/// ones: a loss on covering a short is washed by another short sale (1091(e)) and added to the cost
/// of covering the replacement short. Section 1256 contracts are never washed and never replace.
extension TaxState {
    func identity(_ symbol: Int) -> WashIdentity {
        WashIdentity(instruments[symbol], symbol: symbol, family: familyOfSymbol[symbol])
    }

    /// Whether `candidate` is substantially identical to `loss` under `policy` (sides already equal).
    static func canReplace(loss: WashIdentity, side: PositionSide, candidate: WashIdentity, policy: TaxPolicy) -> Bool {
        if loss.symbol == candidate.symbol { return true }
        guard policy.identityMode == .underlyingFamily, loss.underlying == candidate.underlying else { return false }
        switch (loss.right, candidate.right) {
        case (nil, .call?):
            // Buying a call is "an option to acquire" the stock (1091(a)).
            return side == .long
        case (let lossRight?, let candidateRight?):
            return policy.optionSeriesIdentity == .sameUnderlyingAndRight && lossRight == candidateRight
        default:
            return false
        }
    }

    // MARK: - Acquisitions

    /// A new lot washes earlier loss sales still inside its window.
    mutating func washAfterAcquisition(of lot: TaxLot, _ symbol: Int) {
        let familyIndex = Int(familyOfSymbol[symbol])
        var family = families[familyIndex]
        families[familyIndex] = WashFamily()
        family.prune(today: Int32(lot.acquired.daysSinceEpoch))
        let identity = identity(symbol)
        var open = true
        for index in family.pendingLosses.indices where open {
            let loss = family.pendingLosses[index]
            guard loss.remaining.isPositive, loss.side == lot.side, loss.lossOrigin != lot.id.origin,
                Self.canReplace(loss: loss.identity, side: loss.side, candidate: identity, policy: policy)
            else { continue }
            open = absorb(&family.pendingLosses[index], intoLot: lot.id, of: symbol)
        }
        if open {
            family.acquisitions.append(.init(order: lot.order, day: Int32(lot.acquired.daysSinceEpoch), symbol: Int32(symbol), id: lot.id))
            if policy.identityMode == .underlyingFamily { reviewNewPosition(lot, identity, against: family) }
        }
        families[familyIndex] = family
    }

    // MARK: - Loss sales

    /// Matches the losses among one event's dispositions, then (with
    /// ``TaxPolicy/closedBeforeLossCanReplace``) keeps its gains as candidates for later losses.
    mutating func washAfterSale(dispositions range: Range<Int>, _ symbol: Int) {
        guard !instruments[symbol].isSection1256, !range.isEmpty else { return }
        var losses = range.filter { dispositions[$0].gainBeforeWashSale.isNegative }
        if losses.count > 1 { losses.sort { dispositions[$0].lotOrder < dispositions[$1].lotOrder } }
        guard !losses.isEmpty || policy.closedBeforeLossCanReplace else { return }
        let familyIndex = Int(familyOfSymbol[symbol])
        var family = families[familyIndex]
        families[familyIndex] = WashFamily()
        let today = Int32(dispositions[range.lowerBound].sold.daysSinceEpoch)
        family.prune(today: today)
        for index in losses { matchLossSale(index, symbol, family: &family) }
        if policy.closedBeforeLossCanReplace { keepClosedCandidates(range, symbol, today: today, family: &family) }
        families[familyIndex] = family
    }

    private mutating func matchLossSale(_ index: Int, _ symbol: Int, family: inout WashFamily) {
        let sold = dispositions[index]
        let shares = instruments[symbol].shareEquivalents(sold.quantity)
        var loss = WashFamily.PendingLoss(
            disposition: index, saleDay: sold.soldDay, identity: identity(symbol), side: sold.side,
            lossOrigin: sold.lotId.origin, lossOrder: sold.lotOrder, lossAdjustedDay: sold.adjustedDay,
            loss: .zero - sold.gainBeforeWashSale, shares: shares, washed: .zero,
            pricePerShare: (try? sold.proceeds.divided(by: shares)) ?? .zero)
        if family.closedLots.indices.isEmpty {
            // The common case: open lots only, already in acquisition order; stop once the loss is used up.
            for slot in family.acquisitions.indices where loss.remaining.isPositive {
                let entry = family.acquisitions[slot]
                if canAbsorb(loss, symbol: Int(entry.symbol), id: entry.id) { _ = absorb(&loss, intoLot: entry.id, of: Int(entry.symbol)) }
            }
        } else {
            for candidate in replacementCandidates(for: loss, in: family) where loss.remaining.isPositive {
                switch candidate.source {
                case .open(let symbol, let id): _ = absorb(&loss, intoLot: id, of: symbol)
                case .closed(let slot): absorbClosed(&loss, into: &family.closedLots[slot])
                }
            }
        }
        dropUsedAcquisitions(&family)
        guard loss.remaining.isPositive else { return }
        family.pendingLosses.append(loss)
        if policy.identityMode == .underlyingFamily { reviewLoss(loss, against: family) }
    }

    private struct Candidate {
        enum Source {
            case open(Int, TaxLotID)
            case closed(Int)
        }
        var order: LotOrderKey
        var source: Source
    }

    /// Open lots and closed ones (``TaxPolicy/closedBeforeLossCanReplace``) that can absorb
    /// `loss`, earliest acquired first.
    private func replacementCandidates(for loss: WashFamily.PendingLoss, in family: WashFamily) -> [Candidate] {
        var candidates: [Candidate] = []
        for slot in family.acquisitions.indices {
            let entry = family.acquisitions[slot]
            guard canAbsorb(loss, symbol: Int(entry.symbol), id: entry.id), let lot = books[Int(entry.symbol)].lots[entry.id] else {
                continue
            }
            candidates.append(Candidate(order: lot.order, source: .open(Int(entry.symbol), entry.id)))
        }
        for slot in family.closedLots.indices {
            let closed = family.closedLots[slot]
            guard closed.shares.isPositive, closed.side == loss.side, closed.origin != loss.lossOrigin,
                policy.earlierAcquiredCanReplace || loss.lossOrder < closed.order,
                Self.canReplace(loss: loss.identity, side: loss.side, candidate: closed.identity, policy: policy)
            else { continue }
            candidates.append(Candidate(order: closed.order, source: .closed(slot)))
        }
        candidates.sort { $0.order < $1.order }
        return candidates
    }

    /// Drops leading entries whose lots are closed or used, so repeated sales do not rescan them.
    private func dropUsedAcquisitions(_ family: inout WashFamily) {
        family.acquisitions.dropFirst { entry in books[Int(entry.symbol)].lots[entry.id]?.isWashReplacement ?? true }
    }

    /// Whether an open lot can absorb `loss`: still open, not used before, same side, not from the
    /// sold lot's own buy order, substantially identical, and (per policy) not acquired before it.
    private func canAbsorb(_ loss: WashFamily.PendingLoss, symbol: Int, id: TaxLotID) -> Bool {
        guard let lot = books[symbol].lots[id] else { return false }
        return !lot.isWashReplacement && lot.side == loss.side && lot.id.origin != loss.lossOrigin
            && (policy.earlierAcquiredCanReplace || loss.lossOrder < lot.order)
            && Self.canReplace(loss: loss.identity, side: loss.side, candidate: identity(symbol), policy: policy)
    }

    // MARK: - Moving a disallowed loss

    /// Disallows as much of `loss` as the open lot can take, splitting the lot when it takes less
    /// than all of its shares. Returns whether part of the lot is still free to replace another loss.
    private mutating func absorb(_ loss: inout WashFamily.PendingLoss, intoLot id: TaxLotID, of symbol: Int) -> Bool {
        let instrument = instruments[symbol]
        let lot = books[symbol].lots[id]!
        let capacity = instrument.shareEquivalents(lot.quantity)
        var shares = min(loss.remaining, capacity)
        var part: Decimal6?
        if shares < capacity {
            let units = Decimal6(micros: shares.micros / instrument.multiplier)
            guard units.isPositive else { return true }
            shares = instrument.shareEquivalents(units)
            part = units
        }
        let disallowed = disallow(shares, of: &loss)
        let adjusted = tackedDay(replacement: lot.adjustedDay, loss: loss)
        let target = books[symbol].absorb(id, part: part, adjustment: disallowed, adjustedDay: adjusted)
        recordMatch(loss, replacementSymbol: instrument.symbol, lot: target, disposition: nil, shares: shares, disallowed, adjusted)
        return part != nil
    }

    /// The same for a lot already sold (``TaxPolicy/closedBeforeLossCanReplace``): the earlier
    /// disposition is split and its matched part's basis raised.
    private mutating func absorbClosed(_ loss: inout WashFamily.PendingLoss, into closed: inout WashFamily.ClosedLot) {
        var shares = min(loss.remaining, closed.shares)
        let index = closed.disposition
        let quantity = dispositions[index].quantity
        if shares < closed.shares {
            let part = Decimal6(micros: shares.micros / closed.multiplier)
            guard part.isPositive else { return }
            shares = Decimal6(micros: part.micros * closed.multiplier)
            dispositions.append(dispositions[index].cut(quantity - part))
            closed.disposition = dispositions.count - 1
        }
        closed.shares = closed.shares - shares
        let disallowed = disallow(shares, of: &loss)
        let adjusted = tackedDay(replacement: dispositions[index].adjustedDay, loss: loss)
        dispositions[index].basis = dispositions[index].basis + disallowed
        dispositions[index].washSaleAdjustment = dispositions[index].washSaleAdjustment + disallowed
        dispositions[index].adjustedDay = adjusted
        let replacement = dispositions[index]
        recordMatch(
            loss, replacementSymbol: replacement.symbol, lot: replacement.lotId, disposition: index, shares: shares, disallowed, adjusted)
    }

    /// The exact slice of the loss for the next `shares` matched, added to the loss sale's disallowed amount.
    private mutating func disallow(_ shares: Decimal6, of loss: inout WashFamily.PendingLoss) -> Decimal6 {
        let disallowed = ProRata.slice(of: loss.loss, from: loss.washed, count: shares, whole: loss.shares)
        loss.washed = loss.washed + shares
        dispositions[loss.disposition].washSaleDisallowed = dispositions[loss.disposition].washSaleDisallowed + disallowed
        return disallowed
    }

    private mutating func recordMatch(
        _ loss: WashFamily.PendingLoss, replacementSymbol: String, lot: TaxLotID, disposition: Int?, shares: Decimal6,
        _ disallowed: Decimal6, _ adjusted: Int32
    ) {
        washSales.append(
            WashSaleMatch(
                lossDisposition: loss.disposition, lossSymbol: instruments[Int(loss.identity.symbol)].symbol, lossDay: loss.saleDay,
                replacementSymbol: replacementSymbol, replacementLot: lot, replacementDisposition: disposition, shares: shares,
                disallowed: disallowed, adjustedDay: adjusted))
    }

    /// The replacement's holding-period start (a day number) under ``TaxPolicy/holdingTackMethod``.
    /// Tacking uses the loss lot's own adjusted date, so chains of wash sales stack their holding periods.
    func tackedDay(replacement: Int32, loss: WashFamily.PendingLoss) -> Int32 {
        let tacked = replacement - (loss.saleDay - loss.lossAdjustedDay)
        switch policy.holdingTackMethod {
        case .tacking: return tacked
        case .replacement: return loss.lossAdjustedDay
        case .maxOfBoth: return max(tacked, loss.lossAdjustedDay)
        }
    }

    private func keepClosedCandidates(_ range: Range<Int>, _ symbol: Int, today: Int32, family: inout WashFamily) {
        for index in range {
            let closed = dispositions[index]
            let day = Int32(closed.acquired.daysSinceEpoch)
            guard !closed.gainBeforeWashSale.isNegative, !closed.wasWashReplacement, day >= today - 30 else { continue }
            family.closedLots.append(
                .init(
                    order: closed.lotOrder, day: day, disposition: index, identity: identity(symbol),
                    multiplier: instruments[symbol].multiplier, side: closed.side, origin: closed.lotId.origin,
                    shares: instruments[symbol].shareEquivalents(closed.quantity)))
        }
    }

    // MARK: - Review notes (underlying-family mode)

    /// A loss left (partly) unwashed, against positions opened in the 30 days before it.
    private mutating func reviewLoss(_ loss: WashFamily.PendingLoss, against family: WashFamily) {
        for slot in family.acquisitions.indices {
            let entry = family.acquisitions[slot]
            guard let lot = books[Int(entry.symbol)].lots[entry.id],
                let kind = reviewKind(loss: loss, other: identity(Int(entry.symbol)), otherSide: lot.side)
            else { continue }
            reviews.append(review(kind, loss, lot))
        }
    }

    /// A new position, against losses of the 30 days before it still unwashed.
    private mutating func reviewNewPosition(_ lot: TaxLot, _ identity: WashIdentity, against family: WashFamily) {
        for slot in family.pendingLosses.indices {
            let loss = family.pendingLosses[slot]
            guard loss.remaining.isPositive, let kind = reviewKind(loss: loss, other: identity, otherSide: lot.side) else { continue }
            reviews.append(review(kind, loss, lot))
        }
    }

    private func review(_ kind: TaxReview.Kind, _ loss: WashFamily.PendingLoss, _ lot: TaxLot) -> TaxReview {
        TaxReview(
            kind: kind, lossSymbol: instruments[Int(loss.identity.symbol)].symbol, lossDate: loss.saleDate, otherSymbol: lot.symbol,
            otherDate: lot.acquired)
    }

    private func reviewKind(loss: WashFamily.PendingLoss, other: WashIdentity, otherSide: PositionSide) -> TaxReview.Kind? {
        if policy.shortPutReplacement == .flagForReview, loss.identity.right == nil, loss.side == .long, otherSide == .short,
            other.right == .put, let strike = other.strike, strike > loss.pricePerShare
        {
            return .inTheMoneyShortPut
        }
        if policy.optionSeriesIdentity == .sameContract, let right = loss.identity.right, other.right == right,
            other.symbol != loss.identity.symbol, otherSide == loss.side
        {
            return .otherOptionSeries
        }
        return nil
    }
}
