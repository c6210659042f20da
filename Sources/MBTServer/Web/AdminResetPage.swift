import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `/admin/reset` (admins only; anyone else gets 404, as from `POST /api/trading/paper/reset`):
/// resets a user's paper account after asking twice (docs/web-app.md). First the page names the
/// account and what the reset will do to it; then the admin types the user's name; only then does
/// `POST /admin/reset` reset it, through the same ``PaperResetRoutes/reset(_:by:)`` as the API.
struct AdminResetPage {
    let reset: PaperResetRoutes
    let accounts: AccountStore
    let positions: PositionStore
    let orders: OrderStore
    let pages: WebPages

    /// Which step the page shows.
    struct Model {
        var csrfToken = ""
        var name = ""
        var nameError: String? = nil
        var notice: String? = nil
        /// Step 1: the account and what will happen to it.
        var summary: Summary? = nil
        /// Step 2: the typed confirmation.
        var typing = false
        var confirmError: String? = nil
        /// Step 0: which account (Mustache reads stored properties only, so ``page(_:session:status:)`` sets it).
        var choosing = true
    }

    struct Summary {
        let name: String
        let cash: String
        let startingBalance: String
        let positions: [String]
        let positionCount: Int
        let hasPositions: Bool
        let restingOrders: Int
        let continueURL: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/admin/reset") { request, context -> Response in
            let session = try admin(context)
            let query = request.uri.queryParameters
            var model = Model(csrfToken: session.csrfToken)
            model.notice = query.get("done").map { "The paper account of \($0) was reset." }
            guard let name = Self.name(query.get("user")) else { return page(model, session: session) }
            model.name = name
            guard let user = try await reset.users.user(named: name) else {
                model.nameError = "No user named \(name). Type the user name exactly as it was created."
                return page(model, session: session, status: .notFound)
            }
            model.summary = try await summary(of: user)
            return page(model, session: session)
        }
        group.get("/admin/reset/confirm") { request, context -> Response in
            let session = try admin(context)
            guard let name = Self.name(request.uri.queryParameters.get("user")) else { return WebPages.redirect(to: "/admin/reset") }
            return page(Model(csrfToken: session.csrfToken, name: name, typing: true), session: session)
        }
        group.post("/admin/reset") { request, context -> Response in
            let session = try admin(context)
            let form = try await WebForm.read(request)
            try form.requireCSRF(session.csrfToken)
            let name = Self.name(form.text("user")) ?? ""
            var model = Model(csrfToken: session.csrfToken, name: name, typing: true)
            guard !name.isEmpty, form.text("confirm_name") == name else {
                model.confirmError = "Type \(name) exactly to confirm the reset."
                return page(model, session: session, status: .unprocessableContent)
            }
            // The kill switch that refuses the API's reset refuses the page's too.
            guard pages.gate.refusal(for: .otherChange) == nil else {
                model.confirmError = "Trading is disabled by the operator right now: accounts cannot be reset."
                return page(model, session: session, status: .serviceUnavailable)
            }
            do {
                _ = try await reset.reset(.name(name), by: session.user)
            } catch let error as APIError where error.status == .notFound {
                model = Model(csrfToken: session.csrfToken, name: name, nameError: error.message)
                return page(model, session: session, status: .notFound)
            }
            return WebPages.redirect(to: "/admin/reset?done=" + Self.encoded(name))
        }
    }

    private func admin(_ context: AppRequestContext) throws -> WebSessionStore.Session {
        let session = try context.requireSession()
        guard session.user.isAdmin else { throw WebError.notFound }
        return session
    }

    private func page(_ model: Model, session: WebSessionStore.Session, status: HTTPResponse.Status = .ok) -> Response {
        var model = model
        model.choosing = model.summary == nil && !model.typing
        return pages.page("admin_reset", model, title: "Reset an account", session: session, current: "/admin/reset", status: status)
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func name(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return String(text.prefix(64))
    }

    /// What the reset would do to the account now.
    private func summary(of user: User) async throws -> Summary {
        let account = try await accounts.account(ofUser: user.id)
        let held = try await positions.openPositions(userId: user.id)
        var resting = 0
        for status in OrderStatus.allCases where status.isOpen {
            resting += try await orders.list(userId: user.id, filter: .init(status: status), limit: 200, before: nil)
                .filter { $0.parentOrderId == nil }.count
        }
        let lines = held.map { "\($0.side.rawValue) \(WebFormat.quantity($0.quantity)) \($0.symbol)" }
        return Summary(
            name: user.name, cash: WebFormat.money(account.cashBalance), startingBalance: WebFormat.money(account.startingBalance),
            positions: lines, positionCount: lines.count, hasPositions: !lines.isEmpty, restingOrders: resting,
            continueURL: "/admin/reset/confirm?user=" + Self.encoded(user.name))
    }
}
