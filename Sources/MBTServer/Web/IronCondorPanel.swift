import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// The trade page's iron-condor builder (docs/web-app.md, docs/multi-leg.md): the form asks for an
/// underlying, expiry, short deltas, wing width, quantity and an optional net limit; "Preview"
/// shows the four legs and the figures, "Submit" sends exactly that order. Both go through
/// ``IronCondorRoutes``' own reader and builder and ``OrderService``, as
/// `POST /api/strategies/iron-condor/preview` and `/submit` do, so a bad field gets their message.
struct IronCondorPanel {
    let routes: IronCondorRoutes
    let service: OrderService

    struct Field {
        var value = ""
        var error: String? = nil
    }

    /// The form as typed (Mustache reads stored properties only).
    struct Form {
        var underlying = Field()
        var expiry = Field()
        var shortCallDelta = Field(value: "0.20")
        var shortPutDelta = Field(value: "0.20")
        var wingWidth = Field(value: "5")
        var qty = Field(value: "1")
        var limitPrice = Field()
        var clientOrderId = WebTokens.random(bytes: 12)
        var formError: String? = nil
    }

    struct Leg {
        let action: String
        let symbol: String
        let bid: String
        let ask: String
        let mid: String
        let delta: String
    }

    struct Preview {
        let legs: [Leg]
        let netCredit: String
        let maxProfit: String
        let maxLoss: String
        let breakEvenLow: String
        let breakEvenHigh: String
        let buyingPower: String
    }

    struct View {
        var form = Form()
        /// The expiry picker's choices (the trade page fills them from the chain's).
        var expiries: [OptionChainView.Option] = []
        var preview: Preview? = nil
        var csrfToken = ""
        var disabled = false
    }

    /// What a post of the panel's form came to.
    enum Outcome {
        case placed(Int64)
        case shown(View, HTTPResponse.Status)
    }

    /// The API's field names and where the form keeps each (key paths are not Sendable: computed).
    static var names: [(field: String, key: WritableKeyPath<Form, Field>)] {
        [
            ("underlying", \.underlying), ("expiry", \.expiry), ("short_call_delta", \.shortCallDelta),
            ("short_put_delta", \.shortPutDelta), ("wing_width", \.wingWidth), ("qty", \.qty), ("limit_price", \.limitPrice),
        ]
    }

    /// Previews (`action=preview`) or submits (`action=submit`) the condor the form describes.
    func handle(_ posted: WebForm, user: User, ordersAllowed: Bool) async throws -> Outcome {
        var view = View(form: Self.form(of: posted))
        let submitting = posted.text("action") == "submit"
        if submitting && !ordersAllowed {
            view.form.formError = "New orders are disabled by the operator right now."
            return .shown(view, .serviceUnavailable)
        }
        do {
            let request = try IronCondorRoutes.request(JSONFields(object: Self.fields(of: posted)))
            let (preview, chain) = try await routes.build(request, for: user)
            guard submitting else {
                view.preview = Self.preview(preview, chain: chain)
                return .shown(view, .ok)
            }
            switch try await service.submit(preview.ticket, clientOrderId: view.form.clientOrderId, for: user) {
            case .created(let order), .existing(let order): return .placed(order.id)
            }
        } catch let error as APIError {
            Self.place(error.message, on: &view.form)
        } catch TradingError.invalid(let rejection) {
            view.form.formError = rejection.message
        } catch TradingError.rejected(let order, let rejection) {
            view.form.formError = "Order \(order.id) rejected: \(rejection.message)"
        }
        // A corrected form is a new order: a refused one may be stored under the old client_order_id.
        view.form.clientOrderId = WebTokens.random(bytes: 12)
        return .shown(view, .unprocessableContent)
    }

    static func form(of posted: WebForm) -> Form {
        var form = Form()
        for (name, key) in names { form[keyPath: key].value = String((posted.text(name) ?? "").prefix(40)) }
        form.clientOrderId = String((posted.text("client_order_id") ?? form.clientOrderId).prefix(64))
        return form
    }

    /// The form as the API's body: blank fields left out, as a JSON client would.
    static func fields(of posted: WebForm) -> [String: Any] {
        var fields: [String: Any] = [:]
        for (name, _) in names { if let value = posted.text(name) { fields[name] = value } }
        return fields
    }

    /// Puts a message next to the field it starts with ("wing_width 1 lands on …"), else above the form.
    static func place(_ message: String, on form: inout Form) {
        let first = message.split(separator: " ").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ":")) }
        guard let key = names.first(where: { $0.field == first })?.key else {
            form.formError = message
            return
        }
        form[keyPath: key].error = message
    }

    static func preview(_ preview: IronCondorPreview, chain: [OptionChainEntry]) -> Preview {
        let bySymbol = Dictionary(chain.map { ($0.symbol.description, $0) }) { first, _ in first }
        let legs = preview.legs.map { leg in
            let contract = bySymbol[leg.symbol].map(OptionChainView.contract)
            return Leg(
                action: leg.positionIntent.rawValue.replacingOccurrences(of: "_", with: " "), symbol: leg.symbol,
                bid: contract?.bid ?? "—", ask: contract?.ask ?? "—", mid: contract?.mid ?? "—", delta: contract?.delta ?? "—")
        }
        return Preview(
            legs: legs, netCredit: WebFormat.price(preview.netCredit), maxProfit: WebFormat.money(preview.maxProfit),
            maxLoss: WebFormat.money(preview.maxLoss), breakEvenLow: WebFormat.price(preview.breakEvenLow),
            breakEvenHigh: WebFormat.price(preview.breakEvenHigh), buyingPower: WebFormat.money(preview.buyingPowerRequired))
    }
}
