/// A situation the engine reports for a person to judge instead of deciding it: the law gives no
/// test the engine could apply (`tax-rules.md` §8).
public struct TaxReview: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An in-the-money put was written on a stock inside the 61-day window of a loss on that
        /// stock; a deep in-the-money one can wash the loss (Rev. Rul. 85-87).
        case inTheMoneyShortPut = "in_the_money_short_put"
        /// Another series of the same right on the same underlying was opened inside the window of
        /// an option loss; whether it is substantially identical is unsettled.
        case otherOptionSeries = "other_option_series"
    }

    public let kind: Kind
    /// The symbol sold at a loss.
    public let lossSymbol: String
    /// The loss sale's date.
    public let lossDate: MarketDate
    /// The position that may replace it.
    public let otherSymbol: String
    /// When that position was opened.
    public let otherDate: MarketDate

    /// One sentence for reports.
    public var message: String {
        switch kind {
        case .inTheMoneyShortPut:
            "short put \(otherSymbol) written \(otherDate) may wash the \(lossSymbol) loss of \(lossDate) if deep in the money (Rev. Rul. 85-87); not applied"
        case .otherOptionSeries:
            "\(otherSymbol) opened \(otherDate) may be substantially identical to \(lossSymbol) sold at a loss \(lossDate); not applied"
        }
    }
}
