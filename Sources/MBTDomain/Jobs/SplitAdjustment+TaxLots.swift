extension SplitAdjustment {
    /// The open tax lots of one account in the split stock, rescaled (docs/jobs.md).
    ///
    /// A split is not a sale: each lot keeps its total basis, wash-sale adjustment, acquisition
    /// date and holding period, and only its quantity changes, so its per-share basis is divided by
    /// the ratio exactly (lots carry totals, not per-share amounts). Quantities are scaled by
    /// ``scaledQuantities(_:)``, so together they equal the position's exact scaled quantity.
    ///
    /// Lots are scaled exactly, fractions included. For a whole-share position the fraction cut off
    /// as cash in lieu is a sale of that fraction: record it with the tax engine as a disposition of
    /// ``PositionResult/fractionalShares`` for ``PositionResult/cashInLieu``, which consumes these
    /// lots by the account's lot method.
    public func adjust(_ lots: [TaxLot]) throws(SplitAdjustmentError) -> [TaxLot] {
        for lot in lots { try requireSymbol(lot.symbol) }
        let quantities: [Decimal6]
        do {
            quantities = try scaledQuantities(lots.map(\.quantity))
        } catch {
            throw .arithmetic(error)
        }
        return zip(lots, quantities).map { lot, quantity in
            var scaled = lot
            scaled.quantity = quantity
            return scaled
        }
    }

    /// `quantities × ratio`, each the difference of half-even rounded running totals, so the parts
    /// always add up to the rounded scaled total (the position's quantity) to the micro-unit, however
    /// many lots there are; each part is within a micro-unit of its exact value. For stored
    /// `tax_lots` rows, whose basis columns are totals and so stay as they are.
    public func scaledQuantities(_ quantities: [Decimal6]) throws(DecimalArithmeticError) -> [Decimal6] {
        var running = Decimal6.zero
        var scaledRunning = Decimal6.zero
        var result: [Decimal6] = []
        result.reserveCapacity(quantities.count)
        for quantity in quantities {
            running = running + quantity
            let next = try scaledQuantity(running, rounding: .toNearestOrEven)
            result.append(next - scaledRunning)
            scaledRunning = next
        }
        return result
    }
}
