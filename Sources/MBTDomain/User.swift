import Foundation

/// A person (or program) with a paper account.
public struct User: Sendable, Hashable, Codable {
    public let id: Int64
    public let name: String
    public let role: UserRole
    public let tier: UserTier
    public let createdAt: Date

    public init(id: Int64, name: String, role: UserRole, tier: UserTier, createdAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.tier = tier
        self.createdAt = createdAt
    }

    public var isAdmin: Bool { role == .admin }

    /// Names are 1–64 characters of letters, digits, `.`, `_` and `-`, so they are safe in URLs,
    /// logs and shell commands.
    public static func validateName(_ name: String) -> String? {
        guard !name.isEmpty, name.count <= 64 else { return "user name must be 1 to 64 characters" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        return allowed ? nil : "user name may contain only letters, digits, '.', '_' and '-'"
    }
}
