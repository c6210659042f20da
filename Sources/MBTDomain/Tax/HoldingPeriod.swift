/// Whether a gain or loss is short-term or long-term.
public enum HoldingTerm: String, Sendable, Codable, CaseIterable {
    /// Held one year or less (Form 8949 Part I).
    case short
    /// Held more than one year (Form 8949 Part II).
    case long
}

/// The one-year holding-period test for capital assets.
///
/// The IRS counts from the day after acquisition and includes the day of sale, and "more than one
/// year" means the sale must fall on or after the anniversary of that first counted day (Pub 550's
/// month-counting rule; Rev. Rul. 66-97 and 70-598; Fogel v. Commissioner). A naive
/// `sold > acquired + 1 year` gets purchases on February 28 before a leap day wrong, so the rule is
/// written out as `tax-rules.md` §2 states it: the anniversary of `acquired + 1 day`, moved to
/// March 1 when it would be a February 29 that does not exist. Dates are trade dates; paper fills
/// settle T+0, so settlement never enters.
public enum HoldingPeriod {
    /// The first sale date on which a position acquired on `acquired` is long-term.
    public static func longTermFrom(acquired: MarketDate) -> MarketDate {
        let start = acquired.adding(days: 1)
        return MarketDate(year: start.year + 1, month: start.month, day: start.day)
            ?? MarketDate(year: start.year + 1, month: 3, day: 1)!
    }

    /// The term of a long position acquired (or, after a wash sale, deemed acquired) on `acquired`
    /// and sold on `sold`.
    public static func term(acquired: MarketDate, sold: MarketDate) -> HoldingTerm {
        sold >= longTermFrom(acquired: acquired) ? .long : .short
    }
}
