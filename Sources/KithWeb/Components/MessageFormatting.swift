import Foundation
import Plot

/// Safe, Markdown-like formatting for what members write (messages now; later asks and
/// threads): paragraphs and line breaks, `- ` or `1. ` lists, **strong**, *emphasis*, `code`,
/// [text](https://…) and bare https:// links. It builds Plot nodes, never markup, so whatever a
/// member types — `<script>` included — is shown as text. Links carry rel="nofollow ugc noopener".
enum MessageFormatting {
    static func render(_ text: String) -> Node<HTML.BodyContext> {
        let blocks = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        return .group(blocks.map(block))
    }

    private static func block(_ text: String) -> Node<HTML.BodyContext> {
        let lines = text.components(separatedBy: "\n")
        if lines.allSatisfy({ $0.hasPrefix("- ") || $0.hasPrefix("* ") }) {
            return .ul(.forEach(lines) { .li(inline(String($0.dropFirst(2)))) })
        }
        if lines.allSatisfy({ orderedItem($0) != nil }) {
            return .ol(.forEach(lines) { .li(inline(orderedItem($0) ?? $0)) })
        }
        var nodes: [Node<HTML.BodyContext>] = []
        for (index, line) in lines.enumerated() {
            if index > 0 { nodes.append(.br()) }
            nodes.append(inline(line))
        }
        return .p(.group(nodes))
    }

    private static func orderedItem(_ line: String) -> String? {
        guard let dot = line.firstIndex(of: "."), dot > line.startIndex, line[..<dot].allSatisfy(\.isNumber),
            line[line.index(after: dot)...].hasPrefix(" ")
        else { return nil }
        return String(line[line.index(dot, offsetBy: 2)...])
    }

    /// Inline formatting of one line.
    static func inline(_ line: String) -> Node<HTML.BodyContext> {
        var nodes: [Node<HTML.BodyContext>] = []
        var plain = ""
        var rest = Substring(line)
        func flush() {
            if !plain.isEmpty { nodes.append(.text(plain)) }
            plain = ""
        }
        while let first = rest.first {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"), end.lowerBound > rest.index(rest.startIndex, offsetBy: 2)
            {
                flush()
                nodes.append(.strong(inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]))))
                rest = rest[end.upperBound...]
            } else if first == "*" || first == "_", let end = rest.dropFirst().firstIndex(of: first),
                end > rest.index(after: rest.startIndex), !rest[rest.index(after: rest.startIndex)].isWhitespace
            {
                flush()
                nodes.append(.em(inline(String(rest[rest.index(after: rest.startIndex)..<end]))))
                rest = rest[rest.index(after: end)...]
            } else if first == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                flush()
                nodes.append(.code(.text(String(rest[rest.index(after: rest.startIndex)..<end]))))
                rest = rest[rest.index(after: end)...]
            } else if first == "[", let close = rest.range(of: "]("), let end = rest[close.upperBound...].firstIndex(of: ")"),
                let url = safeURL(String(rest[close.upperBound..<end]))
            {
                flush()
                nodes.append(link(url, String(rest[rest.index(after: rest.startIndex)..<close.lowerBound])))
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("https://") || rest.hasPrefix("http://") {
                flush()
                var candidate = String(rest.prefix { !$0.isWhitespace })
                while let last = candidate.last, ".,;:!?)".contains(last) { candidate.removeLast() }
                if let url = safeURL(candidate) {
                    nodes.append(link(url, candidate))
                } else {
                    nodes.append(.text(candidate))
                }
                rest = rest.dropFirst(candidate.count)
            } else {
                plain.append(first)
                rest = rest.dropFirst()
            }
        }
        flush()
        return .group(nodes)
    }

    /// Only http and https addresses become links.
    private static func safeURL(_ raw: String) -> String? {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil
        else { return nil }
        return raw
    }

    private static func link(_ url: String, _ label: String) -> Node<HTML.BodyContext> {
        .a(.href(url), .attribute(named: "rel", value: "nofollow ugc noopener noreferrer"), .text(label))
    }
}
