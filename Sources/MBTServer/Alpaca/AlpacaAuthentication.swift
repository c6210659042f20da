import Foundation
import HTTPTypes
import Hummingbird
import MBTDomain
import MBTStorage

/// Who a `/v2` request is: an Alpaca key pair (`APCA-API-KEY-ID` + `APCA-API-SECRET-KEY`, created
/// by `mbt users keys NAME`), or an MBT bearer token. Anything missing or wrong is the same 401
/// `request is not authorized`, whichever part was wrong.
struct AlpacaAuthentication: Sendable {
    let keys: APIKeyStore
    let users: UserStore

    static let keyIdHeader = HTTPField.Name("APCA-API-KEY-ID")!
    static let secretHeader = HTTPField.Name("APCA-API-SECRET-KEY")!

    /// The user, and the name their requests are rate-limited under (the key id, or the user for a token).
    func authenticate(_ request: Request) async throws -> (User, rateKey: String) {
        if let keyId = request.headers[Self.keyIdHeader], !keyId.isEmpty {
            guard let secret = request.headers[Self.secretHeader], !secret.isEmpty,
                let user = try await keys.user(keyId: keyId, secret: secret)
            else { throw AlpacaError.unauthorized }
            return (user, "key:\(keyId)")
        }
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer", let user = try await users.user(forToken: String(parts[1])) else {
                throw AlpacaError.unauthorized
            }
            return (user, "user:\(user.id)")
        }
        throw AlpacaError.unauthorized
    }
}
