import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET /api/trading/account`: the caller's own paper account, never anyone else's.
struct AccountRoutes {
    let accounts: AccountStore

    struct AccountResponse: ResponseEncodable {
        let id: Int64
        let userId: Int64
        let userName: String
        let status: PaperAccount.Status
        let currency: String
        let cash: Decimal6
        let startingBalance: Decimal6
        let defaultTaxLotMethod: TaxLotMethod
        let createdAt: Date
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/trading/account") { _, context in
            let user = try context.requireUser()
            let account = try await accounts.account(ofUser: user.id)
            return AccountResponse(
                id: account.id,
                userId: user.id,
                userName: user.name,
                status: account.status,
                currency: "USD",
                cash: account.cashBalance,
                startingBalance: account.startingBalance,
                defaultTaxLotMethod: account.defaultTaxLotMethod,
                createdAt: account.createdAt
            )
        }
    }
}
