import Crypto
import Foundation

/// Bearer tokens: random, shown once, stored only as a SHA-256 hash.
public enum APIToken {
    /// Tokens start with this so they are recognisable in a leaked-secrets scan.
    public static let prefix = "mbt_"

    /// A new token: the prefix and 32 random bytes, base64url without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// The hash stored for `token` (hex SHA-256). A fast hash is enough: the token carries 256
    /// random bits, so there is nothing to brute-force.
    public static func hash(_ token: String) -> String {
        hexSHA256(token)
    }
}

/// Lower-case hex SHA-256 of `text`'s UTF-8: how tokens, key secrets and rate-limit keys are stored.
/// Hex by table rather than `String(format:)`, which cost more than the hash on every request.
func hexSHA256(_ text: String) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(64)
    for byte in SHA256.hash(data: Data(text.utf8)) {
        hex.append(digits[Int(byte >> 4)])
        hex.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: hex, as: UTF8.self)
}
