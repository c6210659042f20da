import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET`/`POST /trade/orders/{id}/replace`: change a resting order's quantity, limit price or time
/// in force through ``OrderService/replace(orderId:with:for:)``, read by the API's own
/// `ReplaceTicket` rules; only the fields the user changed are sent, as a JSON client would.
struct ReplacePage {
    let service: OrderService
    let orders: OrderStore
    let pages: WebPages

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Model {
        let id: Int64
        let summary: String
        let csrfToken: String
        let qty: TradePage.Field
        let limitPrice: TradePage.Field
        let isLimit: Bool
        let timeInForce: TradePage.Field
        let timesInForce: [Option]
        let formError: String?
        let disabled: Bool
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/trade/orders/{id}/replace") { _, context -> Response in
            let session = try context.requireSession()
            let order = try await openOrder(context, session: session)
            return page(order, session: session, values: nil, errors: [:], formError: nil, status: .ok)
        }
        group.post("/trade/orders/{id}/replace") { request, context -> Response in
            let session = try context.requireSession()
            let form = try await WebForm.read(request)
            try form.requireCSRF(session.csrfToken)
            let order = try await openOrder(context, session: session)
            guard pages.ordersAllowed else {
                return page(
                    order, session: session, values: form, errors: [:],
                    formError: "Orders cannot be replaced right now: new orders are disabled.",
                    status: .serviceUnavailable)
            }
            var fields: [String: Any] = [:]
            if let qty = form.text("qty"), qty != WebFormat.plain(order.quantity) { fields["qty"] = qty }
            if let limit = form.text("limit_price"), limit != order.limitPrice.map(WebFormat.plain) { fields["limit_price"] = limit }
            if let tif = form.text("time_in_force"), tif != order.timeInForce.rawValue { fields["time_in_force"] = tif }
            var errors: [String: String] = [:]
            var formError: String?
            func place(_ message: String, code: OrderRejection.Code?) {
                if let field = TradePage.field(of: message, code: code), ["qty", "limit_price", "time_in_force"].contains(field) {
                    errors[field] = message
                } else {
                    formError = message
                }
            }
            do {
                let replacement = try ReplaceTicket.replacement(JSONFields(object: fields))
                let new = try await service.replace(orderId: order.id, with: replacement, for: session.user)
                return WebPages.redirect(to: "/trade?order=\(new.id)")
            } catch let error as APIError {
                place(error.message, code: nil)
            } catch TradingError.invalid(let rejection) {
                place(rejection.message, code: rejection.code)
            } catch TradingError.rejected(let rejected, let rejection) {
                place("Replacement \(rejected.id) rejected: \(rejection.message) Order \(order.id) is unchanged.", code: rejection.code)
            } catch TradingError.orderNotOpen(let closed) {
                formError = "Order \(closed.id) is already \(closed.status.rawValue); only resting orders can be replaced."
            } catch TradingError.ledgerUnavailable(let reason) {
                formError = "The replacement could not be recorded in time (\(reason)). Check the order and try again."
            }
            return page(order, session: session, values: form, errors: errors, formError: formError, status: .unprocessableContent)
        }
    }

    /// The user's order `id` while it rests; another user's order, or a leg, is not found.
    private func openOrder(_ context: AppRequestContext, session: WebSessionStore.Session) async throws -> PaperOrder {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0,
            let order = try await orders.order(id: id, userId: session.user.id), order.parentOrderId == nil
        else { throw WebError.notFound }
        return order
    }

    private func page(
        _ order: PaperOrder, session: WebSessionStore.Session, values: WebForm?, errors: [String: String], formError: String?,
        status: HTTPResponse.Status
    ) -> Response {
        let tif = values?.text("time_in_force") ?? order.timeInForce.rawValue
        let model = Model(
            id: order.id, summary: TradePage.describe(order), csrfToken: session.csrfToken,
            qty: TradePage.Field(value: values?.text("qty") ?? WebFormat.plain(order.quantity), error: errors["qty"]),
            limitPrice: TradePage.Field(
                value: values?.text("limit_price") ?? order.limitPrice.map(WebFormat.plain) ?? "", error: errors["limit_price"]),
            isLimit: order.type == .limit,
            timeInForce: TradePage.Field(value: tif, error: errors["time_in_force"]),
            timesInForce: TimeInForce.allCases.map {
                Option(value: $0.rawValue, label: TradePage.label($0.rawValue), selected: $0.rawValue == tif)
            },
            formError: formError
                ?? (order.status.isOpen ? nil : "This order is \(order.status.rawValue); only resting orders can be replaced."),
            disabled: !pages.ordersAllowed || !order.status.isOpen)
        return pages.page("replace", model, title: "Replace order \(order.id)", session: session, current: "/trade", status: status)
    }
}
