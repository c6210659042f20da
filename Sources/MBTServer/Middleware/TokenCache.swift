import MBTDomain
import Synchronization

/// The users that bearer tokens named in the last second, so a client's burst of requests costs
/// one token lookup instead of one each (docs/performance.md). A revoked token, or a deleted user,
/// stops working within ``lifetime``; an unknown token is never remembered, so a new one works at
/// once. At most ``capacity`` tokens are held: when full, the cache starts over.
final class TokenCache: Sendable {
    let lifetime: Duration
    let capacity: Int
    private let entries = Mutex<[String: (user: User, until: ContinuousClock.Instant)]>([:])

    init(lifetime: Duration = .seconds(1), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The user `token` names: remembered, or from `lookUp` (and then remembered).
    func user(for token: String, lookUp: (String) async throws -> User?) async throws -> User? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[token] }), entry.until > now { return entry.user }
        let user = try await lookUp(token)
        entries.withLock { entries in
            guard let user else {
                entries[token] = nil
                return
            }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = (user, now + lifetime)
        }
        return user
    }
}
