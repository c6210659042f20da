import Foundation
import MBTDomain
import MBTStorage
import Synchronization
import Testing

@testable import MBTServer

/// The bearer-token cache: a token is looked up once per lifetime, an unknown one every time, and
/// a full cache starts over (docs/performance.md).
@Suite("Token cache")
struct TokenCacheTests {
    static let alice = User(id: 1, name: "alice", role: .user, tier: .free, createdAt: Date(timeIntervalSince1970: 0))

    /// A lookup that counts its calls and knows only `known`.
    final class Directory: Sendable {
        let known: [String: User]
        private let calls = Mutex(0)
        init(_ known: [String: User]) { self.known = known }
        var count: Int { calls.withLock { $0 } }
        func lookUp(_ token: String) async throws -> User? {
            calls.withLock { $0 += 1 }
            return known[token]
        }
    }

    @Test func aTokenIsLookedUpOncePerLifetime() async throws {
        let cache = TokenCache(lifetime: .seconds(2))
        let directory = Directory(["t1": Self.alice])
        for _ in 0..<5 { #expect(try await cache.user(for: "t1", lookUp: directory.lookUp)?.id == 1) }
        #expect(directory.count == 1)
        try await Task.sleep(for: .milliseconds(2_500))
        #expect(try await cache.user(for: "t1", lookUp: directory.lookUp)?.id == 1)
        #expect(directory.count == 2, "looked up again once its lifetime is over: a revocation shows")
    }

    @Test func anUnknownTokenIsNeverRemembered() async throws {
        let cache = TokenCache()
        let directory = Directory([:])
        for _ in 0..<3 { #expect(try await cache.user(for: "nope", lookUp: directory.lookUp) == nil) }
        #expect(directory.count == 3)
    }

    @Test func aFullCacheStartsOver() async throws {
        let cache = TokenCache(capacity: 2)
        let directory = Directory(["a": Self.alice, "b": Self.alice, "c": Self.alice])
        for token in ["a", "b", "c", "a"] { _ = try await cache.user(for: token, lookUp: directory.lookUp) }
        #expect(directory.count == 4, "c did not fit beside a and b, so the cache started over and a was looked up again")
    }

    @Test func theStoredHashIsLowerCaseHexSHA256() {
        #expect(APIToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
