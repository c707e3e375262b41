import Foundation
import Hummingbird

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A qualified XML name: namespace and local name.
struct QName: Hashable, Sendable, CustomStringConvertible {
    let namespace: String
    let name: String

    init(_ namespace: String, _ name: String) {
        self.namespace = namespace
        self.name = name
    }

    var description: String { "{\(namespace)}\(name)" }
}

/// The XML namespaces DAV speaks, with the prefixes Kith writes them with.
enum DAVNamespace {
    static let dav = "DAV:"
    static let cardDAV = "urn:ietf:params:xml:ns:carddav"
    static let calDAV = "urn:ietf:params:xml:ns:caldav"
    static let calendarServer = "http://calendarserver.org/ns/"
    static let apple = "http://apple.com/ns/ical/"

    static let prefixes: [String: String] = [dav: "d", cardDAV: "card", calDAV: "cal", calendarServer: "cs", apple: "ical"]
    static let declarations = prefixes.sorted { $0.value < $1.value }.map { " xmlns:\($0.value)=\"\($0.key)\"" }.joined()
}

/// A parsed XML element: just what a DAV request body needs.
struct XMLNode: Sendable {
    var name: QName
    var attributes: [String: String] = [:]
    var children: [XMLNode] = []
    var text = ""

    func child(_ namespace: String, _ name: String) -> XMLNode? {
        children.first { $0.name == QName(namespace, name) }
    }

    func children(_ namespace: String, _ name: String) -> [XMLNode] {
        children.filter { $0.name == QName(namespace, name) }
    }

    /// Reads a request body. Documents with a DTD are refused (no entity can expand); depth and
    /// size are bounded.
    static func parse(_ data: Data) throws(DAVError) -> XMLNode {
        guard !data.isEmpty else { throw DAVError(.badRequest, "The request body is empty; send an XML document.") }
        let head = String(decoding: data.prefix(4_096), as: UTF8.self).uppercased()
        guard !head.contains("<!DOCTYPE"), !head.contains("<!ENTITY") else {
            throw DAVError(.badRequest, "XML with a document type declaration is not accepted.")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root, builder.failure == nil else {
            throw DAVError(.badRequest, builder.failure ?? "The request body is not well-formed XML.")
        }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var root: XMLNode?
        var failure: String?
        var count = 0

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            count += 1
            if stack.count > 32 || count > 20_000 {
                failure = "The XML document is nested too deeply or has too many elements."
                parser.abortParsing()
                return
            }
            stack.append(XMLNode(name: QName(namespaceURI ?? "", elementName), attributes: attributes))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let node = stack.popLast() else { return }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty, stack[stack.count - 1].text.utf8.count < 100_000 else { return }
            stack[stack.count - 1].text += string
        }
    }
}

/// A DAV failure: a status, a message, and the precondition element the RFC names for it.
struct DAVError: Error {
    let status: HTTPResponse.Status
    let message: String
    let precondition: QName?

    init(_ status: HTTPResponse.Status, _ message: String, precondition: QName? = nil) {
        self.status = status
        self.message = message
        self.precondition = precondition
    }
}

/// Writes DAV XML: escaped text, the multistatus answer, and error bodies.
enum DAVWriter {
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "\r": output += "&#13;"
            default:
                // Characters XML 1.0 cannot carry at all are dropped.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `<d:name>` for known namespaces, or the name with its own declaration.
    static func open(_ name: QName, empty: Bool = false) -> String {
        let close = empty ? "/>" : ">"
        if let prefix = DAVNamespace.prefixes[name.namespace] { return "<\(prefix):\(name.name)\(close)" }
        return "<x:\(name.name) xmlns:x=\"\(escape(name.namespace))\"\(close)"
    }

    static func close(_ name: QName) -> String {
        if let prefix = DAVNamespace.prefixes[name.namespace] { return "</\(prefix):\(name.name)>" }
        return "</x:\(name.name)>"
    }

    static func element(_ name: QName, _ inner: String) -> String {
        inner.isEmpty ? open(name, empty: true) : open(name) + inner + close(name)
    }

    /// One `<d:response>`: the properties found (name → inner XML) and those not.
    static func response(href: String, found: [(QName, String)], missing: [QName]) -> String {
        var xml = "<d:response><d:href>\(escape(href))</d:href>"
        if !found.isEmpty {
            xml += "<d:propstat><d:prop>" + found.map { element($0.0, $0.1) }.joined()
            xml += "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        }
        if !missing.isEmpty {
            xml += "<d:propstat><d:prop>" + missing.map { open($0, empty: true) }.joined()
            xml += "</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>"
        }
        return xml + "</d:response>"
    }

    static func gone(href: String) -> String {
        "<d:response><d:href>\(escape(href))</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>"
    }

    static func multistatus(_ responses: [String], syncToken: String? = nil) -> Response {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus\(DAVNamespace.declarations)>"
        xml += responses.joined()
        if let syncToken { xml += "<d:sync-token>\(escape(syncToken))</d:sync-token>" }
        xml += "</d:multistatus>\n"
        return xmlResponse(xml, status: .init(code: 207, reasonPhrase: "Multi-Status"))
    }

    static func xmlResponse(_ xml: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/xml; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func error(_ error: DAVError) -> Response {
        guard let precondition = error.precondition else {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.message + "\n")))
        }
        let xml =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error\(DAVNamespace.declarations)>" + open(precondition, empty: true)
            + "<d:responsedescription>\(escape(error.message))</d:responsedescription></d:error>\n"
        return xmlResponse(xml, status: error.status)
    }
}
