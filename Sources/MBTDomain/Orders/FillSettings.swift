import Foundation

/// The documented knobs of the fill model. Defaults are the product's behaviour; tests and replays
/// may change them to compare with other engines (docs/fill-rules.md).
public struct FillSettings: Sendable, Hashable {
    /// A bar that only touches a limit fills it (`low ≤ L`, as backtrader, Lumibot and Nautilus do).
    /// `false` is LEAN's strict rule (`low < L`): the price must trade through the limit, on the
    /// theory that orders resting at the limit price may sit behind the queue.
    public var touchFills: Bool
    /// Seconds after which a quote no longer prices a fill.
    public var maximumQuoteAge: TimeInterval
    /// Calendar days a GTC order stays open (Alpaca's aged-order policy: 90).
    public var gtcLifetimeDays: Int

    public init(touchFills: Bool = true, maximumQuoteAge: TimeInterval = 60, gtcLifetimeDays: Int = 90) {
        self.touchFills = touchFills
        self.maximumQuoteAge = maximumQuoteAge
        self.gtcLifetimeDays = gtcLifetimeDays
    }

    public static let standard = FillSettings()
}
