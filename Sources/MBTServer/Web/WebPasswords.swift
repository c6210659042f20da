import Foundation
import HummingbirdBcrypt

/// Web passwords: bcrypt hashes (cost 12), never the password itself. Used by the sign-in page and
/// by `mbt users create --password-file` / `mbt users password`.
public enum WebPasswords {
    public static let cost: UInt8 = 12
    public static let minimumLength = 8
    /// bcrypt reads at most 72 bytes; a longer password would be silently truncated, so it is refused.
    public static let maximumBytes = 72

    /// Why `password` cannot be used, or `nil` when it can.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "the password must have at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "the password must be at most \(maximumBytes) bytes long" }
        return nil
    }

    /// The bcrypt hash to store for `password` (checked with ``problem(with:)`` first); tests
    /// pass a lower `cost` to run fast (verifying reads the cost from the hash).
    public static func hash(_ password: String, cost: UInt8 = cost) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        guard password.utf8.count <= maximumBytes else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// A hash no password matches in practice, checked when the user does not exist or has no
    /// password so that a refusal takes as long either way.
    static let decoyHash = Bcrypt.hash(WebTokens.random(bytes: 32), cost: cost)

    /// A new random password of 20 letters and digits (about 119 bits), for the demo user.
    public static func generate() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
