/// What a user may do beyond their own account.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    /// Trades and reads their own account only.
    case user
    /// May also act on any account (reset, inspect).
    case admin
}
