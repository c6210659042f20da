import MBTDomain
import Testing

@Suite("User names")
struct UserNameTests {
    @Test(arguments: ["alice", "bob.smith", "trader_01", "a-b", String(repeating: "x", count: 64)])
    func acceptsSafeNames(name: String) {
        #expect(User.validateName(name) == nil)
    }

    @Test(arguments: ["", "with space", "semi;colon", "émile", "../etc", String(repeating: "x", count: 65)])
    func rejectsUnsafeNames(name: String) {
        #expect(User.validateName(name) != nil)
    }

    @Test func tiersKeepHistoryForTheirRetention() {
        #expect(UserTier.free.retentionDays == 90)
        #expect(UserTier.pro.retentionDays == 1095)
        #expect(UserTier.proplus.retentionDays == nil)
    }
}
