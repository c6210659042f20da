/// The engine's answers to the questions the law leaves open: every knob of `tax-rules.md` §8, each
/// defaulting to what that section proposes.
///
/// The defaults reproduce what a broker reports on Form 1099-B (same symbol, FIFO, tacked holding
/// periods), which is what a paper account should reconcile to. The other settings move toward the
/// taxpayer's wider rule; each is tested in both positions.
public struct TaxPolicy: Sendable, Hashable, Codable {
    /// Which positions count as "substantially identical" for a wash sale (§1.2).
    public enum IdentityMode: String, Sendable, Codable, CaseIterable {
        /// Only the same symbol (stock ticker or OCC contract), as brokers do for 1099-B ("SAME_CUSIP").
        case sameSymbol = "same_cusip"
        /// The taxpayer's rule: a stock loss is also washed by buying calls on it (1091(a): "contract
        /// or option to acquire"), counted at 100 shares per contract. Option losses are washed by
        /// other series only per ``TaxPolicy/optionSeriesIdentity``; short puts are only flagged
        /// (``TaxPolicy/shortPutReplacement``).
        case underlyingFamily = "underlying_family"
    }

    /// How a replacement lot's holding period absorbs the sold lot's (§1.3).
    public enum HoldingTackMethod: String, Sendable, Codable, CaseIterable {
        /// `replacement acquired − (loss sale date − loss lot's adjusted acquired)`: the days the
        /// sold shares were held are added on, so chains stack (what 1223(3) literally says).
        case tacking
        /// The replacement is deemed acquired when the sold lot was (its adjusted date).
        case replacement
        /// The later of the two dates above: the shorter, more conservative holding period.
        case maxOfBoth = "max_of_both"
    }

    /// Which other option contracts are substantially identical to one sold at a loss (§1.2, §8).
    public enum OptionSeriesIdentity: String, Sendable, Codable, CaseIterable {
        /// Only the same contract. In ``IdentityMode/underlyingFamily`` a different series of the
        /// same right on the same underlying bought inside the window is reported for review.
        case sameContract = "same_contract"
        /// Any series of the same right (call or put) on the same underlying, whatever the strike
        /// or expiry. Applies only in ``IdentityMode/underlyingFamily``.
        case sameUnderlyingAndRight = "same_underlying_and_right"
    }

    /// What to do with a short put written inside the window of a stock loss (Rev. Rul. 85-87
    /// washes only deep in-the-money puts, with no numeric test).
    public enum ShortPutReplacement: String, Sendable, Codable, CaseIterable {
        /// Report in-the-money short puts (strike above the loss sale's price per share) as a
        /// ``TaxReview`` without changing any figure. Only in ``IdentityMode/underlyingFamily``.
        case flagForReview = "flag_for_review"
        /// Say nothing.
        case ignore
    }

    /// Default ``IdentityMode/sameSymbol``: reconciles to a broker's 1099-B.
    public var identityMode: IdentityMode
    /// Default ``HoldingTackMethod/tacking``: the statute's wording, reproducible, and what
    /// adlr/wash-sale-calculator and bbreslauer/wash-sale-tracker do.
    public var holdingTackMethod: HoldingTackMethod
    /// Whether shares bought *before* the shares sold at a loss (inside the 30 days before the sale)
    /// can replace them. Default `true` (the Motley Fool reading of Pub 550: the window is not
    /// limited to later acquisitions); `false` is Fairmark's position.
    public var earlierAcquiredCanReplace: Bool
    /// Whether shares bought inside the window but already sold before the loss sale can replace.
    /// Default `false` (adlr, bbreslauer): `true` pushes losses back into earlier, possibly already
    /// filed, dispositions. When `true`, only closed lots sold at a gain or break-even absorb a
    /// loss (a closed loss lot would re-open its own wash treatment, circularly), and the absorbed
    /// amount is added to that earlier disposition's basis.
    public var closedBeforeLossCanReplace: Bool
    /// Default ``OptionSeriesIdentity/sameContract``, warning about other series.
    public var optionSeriesIdentity: OptionSeriesIdentity
    /// Default ``ShortPutReplacement/flagForReview``.
    public var shortPutReplacement: ShortPutReplacement
    /// Whether fees enter the figures: added to the cost of buys and covers, subtracted from the
    /// proceeds of sales and short sales, as a 1099-B does. Default `true`; `false` ignores them.
    public var includeFees: Bool

    public init(
        identityMode: IdentityMode = .sameSymbol, holdingTackMethod: HoldingTackMethod = .tacking,
        earlierAcquiredCanReplace: Bool = true, closedBeforeLossCanReplace: Bool = false,
        optionSeriesIdentity: OptionSeriesIdentity = .sameContract, shortPutReplacement: ShortPutReplacement = .flagForReview,
        includeFees: Bool = true
    ) {
        self.identityMode = identityMode
        self.holdingTackMethod = holdingTackMethod
        self.earlierAcquiredCanReplace = earlierAcquiredCanReplace
        self.closedBeforeLossCanReplace = closedBeforeLossCanReplace
        self.optionSeriesIdentity = optionSeriesIdentity
        self.shortPutReplacement = shortPutReplacement
        self.includeFees = includeFees
    }

    /// Every default above.
    public static let `default` = TaxPolicy()

    /// What the engine cannot see or does not model; reports state these (`tax-rules.md` §8).
    public static let scopeLimits: [String] = [
        "Only this account's trades are seen: purchases in an IRA, by a spouse or at another broker can also wash a loss (Rev. Rul. 2008-5).",
        "Short-sale holding-period rules (§1233), straddles and qualified covered calls (§1092), and §475 mark-to-market traders are out of scope.",
        "A short-sale loss is washed only by another short sale of the same security, not by a sale of long shares.",
        "Stock splits and other corporate actions are not applied to lots.",
        "Section 1256 contracts are marked to market only for the years year-end prices are given.",
    ]
}
