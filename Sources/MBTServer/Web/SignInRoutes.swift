import Foundation
import HTTPTypes
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET`/`POST /login` and `POST /logout`: sign-in with a user name and password (bcrypt), a
/// session cookie (HttpOnly, SameSite=Lax, Secure when the request came over TLS), failed
/// sign-ins limited per user name and per client address.
///
/// The sign-in form has no session yet, so its CSRF token is a double submit: a random value in a
/// cookie of its own that the form must repeat (another site can make a browser post the form but
/// can neither read nor set that cookie).
struct SignInRoutes {
    static let loginCSRFCookie = "mbt_login_csrf"

    let users: UserStore
    let sessions: WebSessionStore
    let settings: WebSettings
    let pages: WebPages

    struct Model {
        let csrfToken: String
        let username: String
        let message: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/login") { request, context -> Response in
            if context.webSession != nil { return WebPages.redirect(to: "/portfolio") }
            let token = request.cookies[Self.loginCSRFCookie]?.value.nilIfBlank ?? WebTokens.random()
            return signInPage(request, csrf: token, username: "", message: nil, status: .ok)
        }
        group.post("/login") { request, context -> Response in
            let form = try await WebForm.read(request)
            guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, !cookie.isEmpty else { throw WebError.csrfRefused }
            try form.requireCSRF(cookie)
            let name = String((form.text("username") ?? "").prefix(64))
            let password = form["password"] ?? ""
            let now = settings.now()
            let address = settings.clientAddress(request, peer: context.clientAddress)
            let failures = try await sessions.failures(
                userName: name, address: address, since: now.addingTimeInterval(-settings.failureWindow))
            if failures.user >= settings.maxFailuresPerUser || failures.address >= settings.maxFailuresPerAddress {
                let minutes = Int(settings.failureWindow / 60)
                var response = signInPage(
                    request, csrf: cookie, username: name,
                    message: "Too many failed sign-ins for this user or from this address. Wait \(minutes) minutes and try again.",
                    status: .tooManyRequests)
                response.headers[.retryAfter] = "\(Int(settings.failureWindow))"
                return response
            }
            let credentials = name.isEmpty ? nil : try await users.credentials(named: name)
            let hash = credentials?.passwordHash
            let matches = await Self.verify(password, hash: hash ?? WebPasswords.decoyHash) && hash != nil
            guard matches, let user = credentials?.user else {
                try await sessions.recordFailure(userName: name, address: address, at: now)
                return signInPage(request, csrf: cookie, username: name, message: "Wrong user name or password.", status: .unauthorized)
            }
            try await sessions.clearFailures(userName: name)
            // Sign-ins are rare enough to sweep ended sessions and stale failures on the way.
            try await sessions.purge(
                at: now, idleSince: now.addingTimeInterval(-settings.idleTimeout),
                failuresBefore: now.addingTimeInterval(-settings.failureWindow))
            let token = WebTokens.random()
            try await sessions.create(
                userId: user.id, token: token, csrfToken: WebTokens.random(), at: now,
                expiresAt: now.addingTimeInterval(settings.absoluteTimeout))
            var response = WebPages.redirect(to: "/portfolio")
            response.setCookie(Self.sessionCookie(token, request: request, maxAge: Int(settings.absoluteTimeout)))
            response.setCookie(Self.loginCookie("", request: request, maxAge: 0))
            return response
        }
        group.post("/logout") { request, context -> Response in
            let session = try context.requireSession()
            try await WebForm.read(request).requireCSRF(session.csrfToken)
            if let token = request.cookies[WebSessionMiddleware.cookieName]?.value { try await sessions.delete(token: token) }
            var response = WebPages.redirect(to: "/login")
            response.setCookie(Self.sessionCookie("", request: request, maxAge: 0))
            return response
        }
    }

    private func signInPage(_ request: Request, csrf: String, username: String, message: String?, status: HTTPResponse.Status) -> Response {
        var response = pages.page(
            "login", Model(csrfToken: csrf, username: username, message: message), title: "Sign in", session: nil, status: status)
        response.setCookie(Self.loginCookie(csrf, request: request, maxAge: 3600))
        return response
    }

    /// bcrypt takes a quarter of a second of CPU: run it off the server's task threads.
    private static func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: WebPasswords.verify(password, hash: hash)) }
        }
    }

    /// Whether the browser reached this server over TLS (directly or through a proxy that says so).
    static func overTLS(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https" || request.headers[forwardedProto]?.lowercased() == "https"
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    static func sessionCookie(_ value: String, request: Request, maxAge: Int) -> Cookie {
        Cookie(
            name: WebSessionMiddleware.cookieName, value: value, maxAge: maxAge, path: "/", secure: overTLS(request), httpOnly: true,
            sameSite: .lax)
    }

    static func loginCookie(_ value: String, request: Request, maxAge: Int) -> Cookie {
        Cookie(
            name: loginCSRFCookie, value: value, maxAge: maxAge, path: "/login", secure: overTLS(request), httpOnly: true, sameSite: .lax)
    }
}

extension String {
    var nilIfBlank: String? { isEmpty ? nil : self }
}
