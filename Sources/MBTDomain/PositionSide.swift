/// Long or short.
public enum PositionSide: String, Sendable, Codable, CaseIterable {
    case long
    case short
}
