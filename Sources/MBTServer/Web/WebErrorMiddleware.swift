import Hummingbird
import Logging
import MBTStorage
import MBTTrading

/// Renders every failure of a page as an HTML page with the right status; a background refresh
/// that lost its session gets a bare 401 so the script reloads into the sign-in page.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let pages: WebPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch WebError.signInRequired {
            if request.headers[WebPages.refreshHeader] != nil {
                return Response(
                    status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: .init(string: "sign in again")))
            }
            return WebPages.redirect(to: "/login")
        } catch WebError.notFound, TradingError.orderNotFound {
            return pages.errorPage(status: .notFound, title: "Not found", message: "There is no such page or order.", context: context)
        } catch WebError.csrfRefused {
            return pages.errorPage(
                status: .forbidden, title: "Form refused",
                message:
                    "This form was not sent by this session's page (its security token is missing or stale). Reload the page and try again.",
                context: context)
        } catch let error as HTTPError where error.status == .notFound {
            return pages.errorPage(status: .notFound, title: "Not found", message: "There is no such page or order.", context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return pages.errorPage(status: .contentTooLarge, title: "Too large", message: "The form was too large.", context: context)
        } catch  where DatabaseFailure.isUnavailable(error) {
            return pages.errorPage(
                status: .serviceUnavailable, title: "Temporarily unavailable",
                message: "The database is not reachable right now; nothing was changed. Try again in a moment.", context: context)
        } catch {
            context.logger.error("page failed", metadata: ["error": "\(String(reflecting: error))"])
            return pages.errorPage(
                status: .internalServerError, title: "Something went wrong",
                message: "The page could not be shown; the server log has the details. Try again in a moment.", context: context)
        }
    }
}
