import Hummingbird

/// How a page refuses or redirects; ``WebErrorMiddleware`` renders it as HTML (never the API's
/// JSON error shape).
enum WebError: Error {
    /// Not signed in (or the session ended): to the sign-in page.
    case signInRequired
    /// Nothing here for this user: the page does not exist, or the order is someone else's.
    case notFound
    /// A form without this session's CSRF token.
    case csrfRefused
    /// Too many failed sign-ins.
    case rateLimited(String)
}
