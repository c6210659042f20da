import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /trade/preview`: the order ticket's estimated cost (or proceeds) and the buying power the
/// order would leave, as a fragment the page script swaps in while the user types. The figures
/// come from ``OrderService/estimate(_:for:)``, which judges the ticket by the order path's own
/// rules (docs/buying-power.md); the ticket is read by the API's ticket reader, so a bad field
/// gets the message a submission would. Numbers arrive formatted: the browser does no arithmetic.
struct TradePreview {
    let service: OrderService
    let pages: WebPages

    /// What the template shows: the figures, or a hint saying what is missing.
    struct View {
        var ready = false
        var costLabel = ""
        var cost = ""
        var basis = ""
        var buyingPower = ""
        var after = ""
        var afterTone = "flat"
        var warning: String? = nil
        var hint: String? = nil

        static func hint(_ text: String) -> View { View(hint: text) }
    }

    static let missing = "Enter a symbol and a quantity to see the estimated cost."

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/trade/preview") { request, context -> Response in
            let session = try context.requireSession()
            var values: [String: String] = [:]
            for (name, value) in request.uri.queryParameters where values[String(name)] == nil {
                values[String(name)] = String(value.prefix(64))
            }
            return pages.fragment("trade_preview", try await view(WebForm(values: values), session: session))
        }
    }

    /// The preview of the ticket the form holds.
    func view(_ form: WebForm, session: WebSessionStore.Session) async throws -> View {
        var fields = TradePage.fields(of: form)
        fields["client_order_id"] = nil
        guard fields["symbol"] != nil, fields["qty"] != nil else { return .hint(Self.missing) }
        let request: OrderRequest
        let estimate: OrderEstimate
        do {
            request = try OrderRoutes.OrderTicket.single(JSONFields(object: fields))
            estimate = try await service.estimate(request, for: session.user)
        } catch let error as APIError {
            return .hint(error.message)
        } catch TradingError.invalid(let rejection) {
            return .hint(rejection.message)
        }
        return Self.view(estimate, request: request)
    }

    static func view(_ estimate: OrderEstimate, request: OrderRequest) -> View {
        let symbol = request.symbol.uppercased()
        guard let price = estimate.price, let notional = estimate.notional, let after = estimate.buyingPowerAfter else {
            return .hint("No price for \(symbol) yet: the estimate shows once the market quotes it.")
        }
        let option = OptionSymbol.isOptionSymbol(symbol)
        let quantity = WebFormat.quantity(request.quantity)
        var view = View(ready: true)
        view.costLabel = request.side == .buy ? "Estimated cost" : "Estimated proceeds"
        view.cost = WebFormat.money(notional)
        view.basis =
            option
            ? "\(quantity) contract\(request.quantity == 1 ? "" : "s") × \(WebFormat.price(price)) × 100"
            : "\(quantity) × \(WebFormat.price(price))"
        view.buyingPower = WebFormat.money(estimate.buyingPower)
        view.after = WebFormat.money(after)
        view.afterTone = WebFormat.tone(after)
        view.warning = estimate.refusal.map { "This order would be refused: \($0.message)" }
        return view
    }
}
