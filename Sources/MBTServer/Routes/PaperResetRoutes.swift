import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `POST /api/trading/paper/reset` (admins only; anyone else is told there is no such route): puts
/// one user's paper account back to a fresh start through ``AccountReset`` (docs/ledger.md,
/// "Account reset"). The body names the account by `user_id` or by `user_name`. The web app's
/// admin page resets through ``reset(_:by:)`` too.
struct PaperResetRoutes {
    let service: AccountReset
    let users: UserStore
    let clock: any MarketClock

    static let fields: Set<String> = ["user_id", "user_name"]

    /// Which account to reset.
    enum Target: Sendable, Equatable {
        case id(Int64)
        case name(String)
    }

    struct ResetBody: ResponseEncodable {
        let userId: Int64
        let userName: String
        let cashBefore: Decimal6
        let cash: Decimal6
        let archivedPositions: [String]
        let canceledOrderIds: [Int64]
        let resetAt: Date
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.post, "/api/trading/paper/reset") { request, context in
            let admin = try context.requireUser()
            guard admin.isAdmin else { throw APIError.notFound("no route for POST \(request.uri.path)") }
            let body = try await JSONFields.read(request, context: context, allowed: Self.fields)
            return try await reset(try Self.target(body), by: admin)
        }
    }

    /// The account the body names: exactly one of `user_id` (a whole number) and `user_name`.
    static func target(_ body: JSONFields) throws -> Target {
        let id = try body.wholeNumber("user_id", in: 1...Int.max)
        let name = try body.string("user_name")?.trimmingCharacters(in: .whitespaces)
        switch (id, name) {
        case (let id?, nil): return .id(Int64(id))
        case (nil, let name?) where !name.isEmpty: return .name(name)
        case (nil, _): throw APIError.validation("user_id or user_name is required: name the account to reset")
        case (.some, .some): throw APIError.validation("give user_id or user_name, not both")
        }
    }

    /// The user `target` names; 404 with the name or id when there is none.
    func user(_ target: Target) async throws -> User {
        switch target {
        case .id(let id):
            guard let user = try await users.user(id: id) else { throw APIError.notFound("no user with id \(id)") }
            return user
        case .name(let name):
            guard let user = try await users.user(named: name) else { throw APIError.notFound("no user named \(name)") }
            return user
        }
    }

    /// Resets the account of the user `target` names, as `admin`.
    func reset(_ target: Target, by admin: User) async throws -> ResetBody {
        let user = try await user(target)
        let outcome = try await service.reset(userId: user.id, by: admin, at: clock.now())
        return ResetBody(
            userId: user.id, userName: user.name, cashBefore: outcome.cashBefore, cash: outcome.cash,
            archivedPositions: outcome.archivedPositions, canceledOrderIds: outcome.canceledOrders, resetAt: outcome.at)
    }
}
