/// A user's subscription tier; it sets how long finished orders and closed positions are kept.
public enum UserTier: String, Sendable, Codable, CaseIterable {
    case free
    case pro
    case proplus

    /// Days of finished-order and closed-position history kept; `nil` keeps them forever.
    public var retentionDays: Int? {
        switch self {
        case .free: 90
        case .pro: 3 * 365
        case .proplus: nil
        }
    }
}
