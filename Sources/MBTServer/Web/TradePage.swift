import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// `GET /trade`: the order ticket and the resting orders; `POST /trade/orders` places an order and
/// `POST /trade/orders/{id}/cancel` cancels one, both through the same ``OrderService`` as the
/// JSON API, after the same trading gate. The ticket is read by the API's own ticket reader, so a
/// bad field gets the API's message, shown next to that field.
struct TradePage {
    let service: OrderService
    let orders: OrderStore
    let account: AccountRoutes
    let marketData: MarketDataService
    let calendar: NYSECalendar
    let ironCondor: IronCondorRoutes
    let pages: WebPages

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Field {
        var value: String = ""
        var error: String? = nil
    }

    struct Ticket {
        var csrfToken = ""
        var clientOrderId = WebTokens.random(bytes: 12)
        var symbol = Field()
        var side = Field(value: OrderSide.buy.rawValue)
        var qty = Field()
        var orderType = Field(value: OrderType.market.rawValue)
        var limitPrice = Field()
        var timeInForce = Field(value: TimeInForce.day.rawValue)
        var formError: String? = nil
        var disabled = false

        var sides: [Option] { Self.options(OrderSide.allCases.map(\.rawValue), selected: side.value) }
        var orderTypes: [Option] { Self.options(OrderType.allCases.map(\.rawValue), selected: orderType.value) }
        var timesInForce: [Option] { Self.options(TimeInForce.allCases.map(\.rawValue), selected: timeInForce.value) }
        var isLimit: Bool { orderType.value == OrderType.limit.rawValue }

        static func options(_ values: [String], selected: String) -> [Option] {
            values.map { Option(value: $0, label: TradePage.label($0), selected: $0 == selected) }
        }
    }

    /// What the template reads (Mustache sees stored properties only).
    struct TicketView {
        let csrfToken: String
        let clientOrderId: String
        let symbol: Field
        let qty: Field
        let limitPrice: Field
        let side: Field
        let orderType: Field
        let timeInForce: Field
        let sides: [Option]
        let orderTypes: [Option]
        let timesInForce: [Option]
        let isLimit: Bool
        let formError: String?
        let disabled: Bool

        init(_ ticket: Ticket) {
            csrfToken = ticket.csrfToken
            clientOrderId = ticket.clientOrderId
            symbol = ticket.symbol
            qty = ticket.qty
            limitPrice = ticket.limitPrice
            side = ticket.side
            orderType = ticket.orderType
            timeInForce = ticket.timeInForce
            sides = ticket.sides
            orderTypes = ticket.orderTypes
            timesInForce = ticket.timesInForce
            isLimit = ticket.isLimit
            formError = ticket.formError
            disabled = ticket.disabled
        }
    }

    struct RestingRow {
        let id: Int64
        let submitted: String
        let symbol: String
        let side: String
        let qty: String
        let orderType: String
        let limitPrice: String
        let timeInForce: String
        let status: String
    }

    struct Resting {
        let rows: [RestingRow]
        let hasRows: Bool
        let csrfToken: String
        let cancelsAllowed: Bool
    }

    /// The symbol's latest quote beside the ticket (access-logged for the user like every quote).
    struct QuoteView {
        let symbol: String
        let found: Bool
        let bid: String
        let ask: String
        let mid: String
        let at: String
    }

    struct Model {
        let ticket: TicketView
        let quote: String
        let quoteURL: String
        let notice: String?
        let buyingPower: String
        let reserved: String
        let resting: String
        let preview: String
        let chain: String
        let condor: String
    }

    /// What the page shows below the ticket besides the resting orders.
    struct Extras {
        var underlying: String? = nil
        var expiry: String? = nil
        var condor = IronCondorPanel.View()
    }

    var preview: TradePreview { TradePreview(service: service, pages: pages) }
    var chain: OptionChainView { OptionChainView(marketData: marketData, calendar: calendar) }
    var condor: IronCondorPanel { IronCondorPanel(routes: ironCondor, service: service) }

    func register(on group: RouterGroup<AppRequestContext>) {
        preview.register(on: group)
        group.get("/trade") { request, context -> Response in
            let session = try context.requireSession()
            let query = request.uri.queryParameters
            var notice: String?
            if let id = query.get("order").flatMap(Int64.init), let order = try await orders.order(id: id, userId: session.user.id) {
                notice = Self.describe(order)
            } else if let id = query.get("canceled").flatMap(Int64.init) {
                notice = "Order \(id) canceled."
            }
            var ticket = Ticket()
            if let symbol = query.get("symbol") { ticket.symbol.value = String(symbol.prefix(40)).uppercased() }
            var extras = Extras(underlying: query.get("underlying").map { String($0.prefix(40)) }, expiry: query.get("expiry"))
            if let underlying = extras.underlying {
                // The condor builder starts from the chain being looked at.
                extras.condor.form.underlying.value = underlying.uppercased()
                extras.condor.form.expiry.value = extras.expiry ?? chain.expiries().first?.description ?? ""
            }
            return try await page(ticket, notice: notice, session: session, status: .ok, extras: extras)
        }
        group.post("/trade/iron-condor") { request, context -> Response in
            let session = try context.requireSession()
            let form = try await WebForm.read(request)
            try form.requireCSRF(session.csrfToken)
            switch try await condor.handle(form, user: session.user, ordersAllowed: pages.ordersAllowed) {
            case .placed(let id): return WebPages.redirect(to: "/trade?order=\(id)")
            case .shown(let view, let status):
                let extras = Extras(underlying: view.form.underlying.value, expiry: view.form.expiry.value, condor: view)
                return try await page(Ticket(), notice: nil, session: session, status: status, extras: extras)
            }
        }
        group.get("/trade/quote") { request, context -> Response in
            let session = try context.requireSession()
            let symbol = request.uri.queryParameters.get("symbol") ?? ""
            guard let quote = try await quote(symbol, session: session) else { return WebPages.html("", status: .ok) }
            return pages.fragment("trade_quote", quote)
        }
        group.get("/trade/resting") { _, context -> Response in
            let session = try context.requireSession()
            return pages.fragment("trade_resting", try await resting(session))
        }
        group.post("/trade/orders") { request, context -> Response in
            let session = try context.requireSession()
            let form = try await WebForm.read(request)
            try form.requireCSRF(session.csrfToken)
            var ticket = Self.ticket(from: form)
            guard pages.ordersAllowed else {
                ticket.formError = "New orders are disabled by the operator right now."
                return try await page(ticket, notice: nil, session: session, status: .serviceUnavailable)
            }
            do {
                let request = try OrderRoutes.OrderTicket.single(JSONFields(object: Self.fields(of: form)))
                let submission = try await service.submit(request, for: session.user)
                switch submission {
                case .created(let order), .existing(let order): return WebPages.redirect(to: "/trade?order=\(order.id)")
                }
            } catch let error as APIError {
                Self.place(error.message, code: nil, on: &ticket)
            } catch TradingError.invalid(let rejection) {
                Self.place(rejection.message, code: rejection.code, on: &ticket)
            } catch TradingError.rejected(let order, let rejection) {
                Self.place("Order \(order.id) rejected: \(rejection.message)", code: rejection.code, on: &ticket)
            } catch TradingError.ledgerUnavailable(let reason) {
                ticket.formError = "The order could not be recorded in time (\(reason)). Send it again: it will not be placed twice."
                // The same client_order_id, so that sending it again cannot place it twice.
                return try await page(ticket, notice: nil, session: session, status: .serviceUnavailable)
            }
            // A corrected ticket is a new order: a refused one may be stored under the old client_order_id.
            ticket.clientOrderId = WebTokens.random(bytes: 12)
            return try await page(ticket, notice: nil, session: session, status: .unprocessableContent)
        }
        group.post("/trade/orders/{id}/cancel") { request, context -> Response in
            let session = try context.requireSession()
            try await WebForm.read(request).requireCSRF(session.csrfToken)
            guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw WebError.notFound }
            guard pages.cancelsAllowed else {
                return try await page(
                    Ticket(), notice: "Orders cannot be canceled right now: trading is disabled by the operator.", session: session,
                    status: .serviceUnavailable)
            }
            do {
                _ = try await service.cancel(orderId: id, for: session.user)
            } catch TradingError.orderNotOpen(let order) {
                return try await page(
                    Ticket(), notice: "Order \(order.id) is already \(order.status.rawValue); only resting orders can be canceled.",
                    session: session, status: .conflict)
            }
            return WebPages.redirect(to: "/trade?canceled=\(id)")
        }
    }

    private func page(
        _ ticket: Ticket, notice: String?, session: WebSessionStore.Session, status: HTTPResponse.Status, extras: Extras = Extras()
    ) async throws -> Response {
        var ticket = ticket
        ticket.csrfToken = session.csrfToken
        ticket.disabled = !pages.ordersAllowed
        let stored = try await account.accounts.account(ofUser: session.user.id)
        let figures = try await account.response(stored, user: session.user)
        let quote = try await quote(ticket.symbol.value, session: session)
        let model = Model(
            ticket: TicketView(ticket), quote: quote.map { pages.render("trade_quote", $0) } ?? "",
            quoteURL: quote.map { Self.quoteURL($0.symbol) } ?? "", notice: notice, buyingPower: WebFormat.money(figures.buyingPower),
            reserved: WebFormat.money(figures.reservedByOpenOrders), resting: pages.render("trade_resting", try await resting(session)),
            preview: pages.render("trade_preview", try await preview.view(Self.form(of: ticket), session: session)),
            chain: pages.render(
                "trade_chain", try await chain.model(underlying: extras.underlying, expiry: extras.expiry, for: session.user)),
            condor: pages.render("trade_condor", condorView(extras.condor, session: session)))
        return pages.page("trade", model, title: "Trade", session: session, current: "/trade", status: status)
    }

    private func condorView(_ view: IronCondorPanel.View, session: WebSessionStore.Session) -> IronCondorPanel.View {
        var view = view
        view.csrfToken = session.csrfToken
        view.disabled = !pages.ordersAllowed
        // The chain's weekly expiries, and the one the form holds if it is another.
        var dates = chain.expiries().map(\.description)
        let typed = view.form.expiry.value
        if !typed.isEmpty && !dates.contains(typed) { dates.insert(typed, at: 0) }
        let selected = typed.isEmpty ? dates.first : typed
        view.expiries = dates.map { date in
            OptionChainView.Option(
                value: date, label: MarketDate(iso: date).map(OptionChainView.label) ?? date, selected: date == selected)
        }
        return view
    }

    /// The latest quote of `text` as a symbol; `nil` for a blank or malformed symbol, a view saying
    /// so when the market has no quote for it.
    private func quote(_ text: String, session: WebSessionStore.Session) async throws -> QuoteView? {
        let symbol = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard !symbol.isEmpty, symbol.count <= 40, symbol.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "/" }) else {
            return nil
        }
        guard let quote = try? await marketData.anyQuotes([symbol], for: [session.user.id])[symbol] else {
            return QuoteView(symbol: symbol, found: false, bid: "", ask: "", mid: "", at: "")
        }
        return QuoteView(
            symbol: symbol, found: true, bid: WebFormat.price(quote.bid), ask: WebFormat.price(quote.ask), mid: WebFormat.price(quote.mid),
            at: WebFormat.instant(quote.timestamp))
    }

    static func quoteURL(_ symbol: String) -> String {
        "/trade/quote?symbol=" + (symbol.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    /// The user's open orders (simple and multi-leg parents), newest first.
    private func resting(_ session: WebSessionStore.Session) async throws -> Resting {
        var open: [PaperOrder] = []
        for status in OrderStatus.allCases where status.isOpen {
            open += try await orders.list(userId: session.user.id, filter: .init(status: status), limit: 200, before: nil)
        }
        let rows = open.sorted { $0.id > $1.id }.map { order in
            RestingRow(
                id: order.id, submitted: WebFormat.instant(order.submittedAt), symbol: order.symbol, side: order.side.rawValue,
                qty: WebFormat.quantity(order.quantity), orderType: order.type.rawValue,
                limitPrice: order.limitPrice.map(WebFormat.price) ?? "—",
                timeInForce: order.timeInForce.rawValue.uppercased(), status: order.status.rawValue)
        }
        return Resting(rows: rows, hasRows: !rows.isEmpty, csrfToken: session.csrfToken, cancelsAllowed: pages.cancelsAllowed)
    }

    /// The ticket as the form that sent it, for its preview.
    static func form(of ticket: Ticket) -> WebForm {
        WebForm(values: [
            "symbol": ticket.symbol.value, "side": ticket.side.value, "qty": ticket.qty.value, "order_type": ticket.orderType.value,
            "limit_price": ticket.isLimit ? ticket.limitPrice.value : "", "time_in_force": ticket.timeInForce.value,
        ])
    }

    /// The form as the API's ticket fields: blank fields are left out, as a JSON client would.
    static func fields(of form: WebForm) -> [String: Any] {
        var fields: [String: Any] = [:]
        for name in ["symbol", "side", "qty", "order_type", "limit_price", "time_in_force", "client_order_id"] {
            if let value = form.text(name) { fields[name] = value }
        }
        return fields
    }

    static func ticket(from form: WebForm) -> Ticket {
        var ticket = Ticket()
        ticket.symbol.value = String((form.text("symbol") ?? "").prefix(40))
        ticket.side.value = form.text("side") ?? ticket.side.value
        ticket.qty.value = String((form.text("qty") ?? "").prefix(40))
        ticket.orderType.value = form.text("order_type") ?? ticket.orderType.value
        ticket.limitPrice.value = String((form.text("limit_price") ?? "").prefix(40))
        ticket.timeInForce.value = form.text("time_in_force") ?? ticket.timeInForce.value
        ticket.clientOrderId = String((form.text("client_order_id") ?? ticket.clientOrderId).prefix(64))
        return ticket
    }

    /// Puts a refusal next to the field it is about: the rejection code's field, or the field a
    /// validation message starts with; anything else above the form.
    static func place(_ message: String, code: OrderRejection.Code?, on ticket: inout Ticket) {
        let field = field(of: message, code: code)
        switch field {
        case "symbol": ticket.symbol.error = message
        case "side": ticket.side.error = message
        case "qty": ticket.qty.error = message
        case "order_type": ticket.orderType.error = message
        case "limit_price": ticket.limitPrice.error = message
        case "time_in_force": ticket.timeInForce.error = message
        default: ticket.formError = message
        }
    }

    /// The ticket field a refusal is about: the rejection code's field, or the field a validation
    /// message starts with; `nil` for the form as a whole.
    static func field(of message: String, code: OrderRejection.Code?) -> String? {
        let field: String? =
            switch code {
            case .invalidSymbol: "symbol"
            case .invalidQuantity, .quantityTooLarge, .fractionalContracts: "qty"
            case .missingLimitPrice, .unexpectedLimitPrice, .invalidLimitPrice, .limitPriceTooLarge, .invalidTickSize: "limit_price"
            case .invalidTimeInForce: "time_in_force"
            case .some: nil
            case nil: message.split(separator: " ").first.map(String.init)
            }
        return field.flatMap { OrderRoutes.OrderTicket.fields.contains($0) ? $0 : nil }
    }

    /// `Order 12: buy 10 AAPL at market, filled at 172.70.`
    static func describe(_ order: PaperOrder) -> String {
        let what =
            "Order \(order.id): \(order.side.rawValue) \(WebFormat.quantity(order.quantity)) \(order.symbol)"
            + (order.limitPrice.map { " limit \(WebFormat.price($0))" } ?? " at market")
        switch order.status {
        case .filled: return what + ", filled at \(order.fillPrice.map(WebFormat.price) ?? "—")."
        case .new, .accepted: return what + ", resting (\(order.timeInForce.rawValue.uppercased()))."
        case .rejected: return what + ", rejected: \(order.rejectReason ?? "no reason recorded")."
        case .canceled: return what + ", canceled\(order.rejectReason.map { ": \($0)" } ?? "")."
        case .expired: return what + ", expired."
        }
    }

    static func label(_ raw: String) -> String {
        switch raw {
        case "day": "Day"
        case "gtc": "Good till canceled"
        case "ioc": "Immediate or cancel"
        default: raw.prefix(1).uppercased() + raw.dropFirst()
        }
    }
}
