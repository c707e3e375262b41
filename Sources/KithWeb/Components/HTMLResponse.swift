import Hummingbird
import Plot

/// A rendered page as a Hummingbird response.
struct HTMLResponse: ResponseGenerator {
    let html: HTML
    var status: HTTPResponse.Status = .ok

    init(_ html: HTML, status: HTTPResponse.Status = .ok) {
        self.html = html
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.render())))
    }
}
