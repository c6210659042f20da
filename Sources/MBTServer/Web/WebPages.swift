import Foundation
import HTTPTypes
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading
import Mustache

/// Renders the pages from the Mustache templates in `Templates/` (package resources): a page's
/// own template, then the layout around it. Mustache escapes every `{{value}}`; the only
/// unescaped insertions are HTML rendered here (`{{{body}}}`, the equity curve's SVG).
struct WebPages: Sendable {
    /// Sent by the page script on its background refreshes.
    static let refreshHeader = HTTPField.Name("X-MBT-Refresh")!

    let library: MustacheLibrary
    let gate: TradingGate

    init(gate: TradingGate) {
        self.gate = gate
        var library = MustacheLibrary()
        if let directory = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        {
            for name in names where name.hasSuffix(".mustache") {
                guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { continue }
                try? library.register(text, named: String(name.dropLast(".mustache".count)))
            }
        }
        self.library = library
    }

    struct NavLink {
        let label: String
        let href: String
        let current: Bool
    }

    struct Banner {
        let kind: String
        let text: String
    }

    struct SignedIn {
        let name: String
        let csrfToken: String
    }

    private struct Layout {
        let title: String
        let body: String
        let signedIn: SignedIn?
        let nav: [NavLink]
        let banners: [Banner]
    }

    static let sections = [("Portfolio", "/portfolio"), ("Trade", "/trade"), ("History", "/history")]
    /// Shown to admins only.
    static let adminSections = [("Jobs", "/admin/jobs"), ("Reset", "/admin/reset")]

    /// Text rendered from `template`, or a note that the installation lacks it.
    func render(_ template: String, _ object: Any) -> String {
        library.render(object, withTemplate: template)
            ?? "<p>This installation lacks its page templates (install the mbt_MBTServer.resources folder beside the binary).</p>"
    }

    /// A whole page: `template` rendered inside the layout, with the navigation and the banners.
    func page(
        _ template: String, _ object: Any, title: String, session: WebSessionStore.Session?, current: String? = nil,
        banners extra: [Banner] = [], status: HTTPResponse.Status = .ok
    ) -> Response {
        let layout = Layout(
            title: title, body: render(template, object),
            signedIn: session.map { SignedIn(name: $0.user.name, csrfToken: $0.csrfToken) },
            nav: session.map { session in
                (Self.sections + (session.user.isAdmin ? Self.adminSections : [])).map {
                    NavLink(label: $0.0, href: $0.1, current: $0.1 == current)
                }
            } ?? [],
            banners: (session == nil ? [] : gateBanners()) + extra)
        return Self.html(render("layout", layout), status: status)
    }

    /// A piece of a page for the script's refresh.
    func fragment(_ template: String, _ object: Any) -> Response {
        Self.html(render(template, object), status: .ok)
    }

    func errorPage(status: HTTPResponse.Status, title: String, message: String, context: AppRequestContext) -> Response {
        struct Model {
            let title: String
            let message: String
            let signedIn: Bool
        }
        return page(
            "error", Model(title: title, message: message, signedIn: context.webSession != nil), title: title, session: context.webSession,
            status: status)
    }

    /// The kill switches, as banners: forms that would place orders are disabled while they show.
    func gateBanners() -> [Banner] {
        switch gate.refusal(for: .newOrder) {
        case .tradingDisabled:
            [
                Banner(
                    kind: "warning", text: "Trading is temporarily disabled by the operator. Orders cannot be placed or canceled right now."
                )
            ]
        case .newOrdersDisabled:
            [Banner(kind: "warning", text: "New orders are temporarily disabled by the operator. You can still cancel resting orders.")]
        default: []
        }
    }

    /// Whether new orders may be placed now (the order ticket is disabled otherwise).
    var ordersAllowed: Bool { gate.refusal(for: .newOrder) == nil }
    /// Whether resting orders may be canceled now.
    var cancelsAllowed: Bool { gate.refusal(for: .cancel) == nil }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// After a form: 303, so the browser follows with a GET.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
