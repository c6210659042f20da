import Foundation

/// How leg prices make a combo's net price and what a fill does to cash.
///
/// **Net price per unit** is in dollars per share of the strategy's 100-share unit, the way
/// Alpaca's `limit_price` and every options screen quote a spread:
///
///     net = Σ sign × price × ratio          over option legs (price per share of the contract)
///         + sign × price × ratio ÷ 100      for the stock leg  (price per share, ratio in shares)
///
/// with sign +1 for a buy and −1 for a sell, so a positive net is a debit and a negative one a
/// credit. A buy-write (buy 100 shares at 100.00, sell the call at 2.50) is a net debit of 97.50:
/// the stock leg's 100 shares are one unit's worth of underlying, like one contract.
///
/// **Cash effect** of filling `qty` units = −net × 100 × qty: a debit reduces cash, a credit adds
/// to it. Validated combos have stock ratio 100 × the call's, so the net is always exact.
public enum ComboPricing {
    /// Net price per unit for `combo` with `legPrices[i]` the fill price of `combo.legs[i]`.
    public static func netPrice(_ combo: ValidatedCombo, legPrices: [Decimal6]) throws(DecimalArithmeticError) -> Decimal6 {
        precondition(legPrices.count == combo.legs.count, "one price per leg")
        var net = Decimal6.zero
        for (leg, price) in zip(combo.legs, legPrices) {
            net = net + (try contribution(leg, price: price))
        }
        return net
    }

    /// One leg's signed share of the net price.
    static func contribution(_ leg: ValidatedComboLeg, price: Decimal6) throws(DecimalArithmeticError) -> Decimal6 {
        let perUnit = try price.multiplied(by: leg.signedRatio)
        guard leg.contract == nil else { return perUnit }
        return try perUnit.divided(by: OptionSymbol.contractMultiplier)
    }

    /// Cash change from filling `qty` units at net price `netPrice`: negative for a debit.
    public static func cashEffect(netPrice: Decimal6, qty: Int64) throws(DecimalArithmeticError) -> Decimal6 {
        -(try netPrice.multiplied(by: OptionSymbol.contractMultiplier).multiplied(by: qty))
    }

    /// The combo filled with each leg at `legPrices` (aligned with `combo.legs`).
    public static func fill(_ combo: ValidatedCombo, legPrices: [Decimal6]) throws(DecimalArithmeticError) -> ComboFill {
        let net = try netPrice(combo, legPrices: legPrices)
        return ComboFill(legPrices: legPrices, netPrice: net, cashEffect: try cashEffect(netPrice: net, qty: combo.qty))
    }

    /// Each leg's mid (the project's quote-mid rule, ``Quote/mid``), or the first leg that has no
    /// usable quote, named, because the whole combo fails with it.
    public static func legMids(
        _ combo: ValidatedCombo, quotes: [String: Quote], now: Date, maxAge: TimeInterval
    ) -> Result<[Decimal6], ComboError> {
        var mids: [Decimal6] = []
        for leg in combo.legs {
            switch QuotePricing.usable(quotes[leg.symbol], symbol: leg.symbol, now: now, maxAge: maxAge) {
            case .success(let quote): mids.append(quote.mid)
            case .failure(let rejection): return .failure(ComboError(field: leg.field, rejection.message))
            }
        }
        return .success(mids)
    }

    /// A market combo: every leg fills at its mid, as single option orders do, since
    /// taking each leg's far side would charge the spread four times over.
    public static func marketFill(
        _ combo: ValidatedCombo, quotes: [String: Quote], now: Date, maxAge: TimeInterval
    ) -> Result<ComboFill, ComboError> {
        legMids(combo, quotes: quotes, now: now, maxAge: maxAge).flatMap { mids in
            do {
                return .success(try fill(combo, legPrices: mids))
            } catch {
                return .failure(ComboError(field: "qty", "the combo's value is out of range; reduce qty"))
            }
        }
    }
}

/// A combo fill: every leg's price and what they net to.
public struct ComboFill: Sendable, Hashable {
    /// Fill price per share of each leg, aligned with ``ValidatedCombo/legs``.
    public let legPrices: [Decimal6]
    /// Net per unit: debit > 0, credit < 0.
    public let netPrice: Decimal6
    /// −net × 100 × qty: what the fill does to cash.
    public let cashEffect: Decimal6
}
