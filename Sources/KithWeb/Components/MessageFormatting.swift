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

    /// A block of lines: runs of `- ` items become a list, runs of `1. ` items a numbered list,
    /// and the lines between them paragraphs with line breaks.
    private static func block(_ text: String) -> Node<HTML.BodyContext> {
        enum Run {
            case lines([String])
            case bullets([String])
            case numbered([String])
        }
        var runs: [Run] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("- ") || line.hasPrefix("* ") {
                let item = String(line.dropFirst(2))
                if case .bullets(let items) = runs.last {
                    runs[runs.count - 1] = .bullets(items + [item])
                } else {
                    runs.append(.bullets([item]))
                }
            } else if let item = orderedItem(line) {
                if case .numbered(let items) = runs.last {
                    runs[runs.count - 1] = .numbered(items + [item])
                } else {
                    runs.append(.numbered([item]))
                }
            } else if case .lines(let lines) = runs.last {
                runs[runs.count - 1] = .lines(lines + [line])
            } else {
                runs.append(.lines([line]))
            }
        }
        return .group(
            runs.map { run in
                switch run {
                case .bullets(let items): .ul(.forEach(items) { .li(inline($0)) })
                case .numbered(let items): .ol(.forEach(items) { .li(inline($0)) })
                case .lines(let lines):
                    .p(.group(lines.enumerated().flatMap { index, line in index == 0 ? [inline(line)] : [.br(), inline(line)] }))
                }
            }
        )
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
