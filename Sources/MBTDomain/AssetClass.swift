/// What kind of instrument a symbol names.
public enum AssetClass: String, Sendable, Codable, CaseIterable {
    case usEquity = "us_equity"
    case option
}
