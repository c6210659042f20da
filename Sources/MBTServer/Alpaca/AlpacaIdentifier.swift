import Crypto
import Foundation

/// The UUIDs `/v2` shows for MBT's rows (docs/alpaca-api.md, "Identifiers"). Orders and accounts
/// keep their integer ids; their UUID is derived from the id and reversible, so a UUID a client
/// sends back finds its row without a lookup table: RFC 9562 version 8 (custom), the bytes `MBT`
/// and a kind byte, then the row id in the last six bytes, e.g. `4d425401-0000-8000-8000-00000000002a`
/// for order 42. Assets (symbols) get a name-based version 5 UUID of the symbol.
enum AlpacaIdentifier {
    enum Kind: UInt8 {
        case order = 1
        case account = 2
        /// A ledger event of the trade-updates stream (its `audit_log` row).
        case execution = 3
        case watchlist = 4
    }

    static func uuid(_ kind: Kind, _ id: Int64) -> UUID {
        var bytes: [UInt8] = [0x4d, 0x42, 0x54, kind.rawValue, 0, 0, 0x80, 0, 0x80, 0]
        for shift in stride(from: 40, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: id >> Int64(shift))) }
        return UUID(uuid: tuple(bytes))
    }

    /// The row id inside a UUID of `kind`; `nil` for any other UUID (another kind's, or not MBT's).
    static func rowId(_ uuid: UUID, kind: Kind) -> Int64? {
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        guard Array(bytes[0..<10]) == [0x4d, 0x42, 0x54, kind.rawValue, 0, 0, 0x80, 0, 0x80, 0] else { return nil }
        let id = bytes[10...].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        return id > 0 ? id : nil
    }

    /// The asset id of a symbol: a version 5 UUID of the upper-cased symbol in MBT's namespace.
    static func asset(_ symbol: String) -> UUID {
        var digest = Array(Insecure.SHA1.hash(data: Array(namespace) + Array(symbol.uppercased().utf8)).prefix(16))
        digest[6] = (digest[6] & 0x0f) | 0x50
        digest[8] = (digest[8] & 0x3f) | 0x80
        return UUID(uuid: tuple(digest))
    }

    /// MBT's namespace for name-based asset ids: fixed bytes, chosen once; changing them changes every asset id.
    private static let namespace: [UInt8] = [
        0x2b, 0x1e, 0x6c, 0x4f, 0x1d, 0x6a, 0x5b, 0x0e, 0x9a, 0x47, 0x4b, 0x55, 0x36, 0x1c, 0x0d, 0x42,
    ]

    /// Text as Alpaca writes UUIDs: lower case.
    static func text(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }

    private static func tuple(_ b: [UInt8]) -> uuid_t {
        (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
    }
}
