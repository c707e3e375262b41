import Foundation
import Plot

/// Plot escapes text nodes but writes attribute values exactly as given. Every attribute value in
/// Kith's pages is therefore escaped here, at the one place it is written, whatever its source:
/// `&`, `"`, `'`, `<` and `>` become character references.
///
/// How it is enforced: this file declares, inside KithWeb, every Plot helper that writes a text
/// or URL into an attribute, with the same signature. Swift prefers a module's own declaration
/// over an identical one it imports, so `.href(x)`, `.value(x)`, `.attribute(named:value:)`, … in
/// any KithWeb view call these escaping versions; Plot's raw ones cannot be reached from KithWeb.
/// `scripts/check-architecture.sh` fails when Plot has a string-taking attribute helper that is
/// not declared here, and when KithWeb builds an `Attribute(name:value:)` or `.raw(…)` node
/// anywhere else. `AttributeEscapingTests` renders each helper with markup in its value.
enum AttributeValue {
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 38 || $0 == 34 || $0 == 39 || $0 == 60 || $0 == 62 }) else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 16)
        for character in value.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A query-string component: percent-encoded (then escaped like any attribute value).
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The text of a URL as Plot would write it (`URLRepresentable` is a `String` or a `URL`).
    static func url(_ url: any URLRepresentable) -> String {
        if let string = url as? String { return string }
        if let url = url as? URL { return url.absoluteString }
        return "\(url)"
    }
}

// MARK: - The only constructors of attribute values in KithWeb

extension Attribute {
    /// An attribute whose value is escaped.
    static func escaped(_ name: String, _ value: String?, ignoreIfValueIsEmpty: Bool = true) -> Attribute {
        Attribute(name: name, value: value.map(AttributeValue.escape), ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }

    static func attribute(named name: String, value: String?) -> Self {
        .escaped(name, value)
    }
}

extension Node {
    /// A node holding one attribute whose value is escaped.
    static func escapedAttribute(_ name: String, _ value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        .attribute(Attribute<Context>.escaped(name, value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty))
    }

    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        .escapedAttribute(name, value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }

    /// Plot's `.raw` writes markup unescaped; KithWeb never does.
    @available(*, unavailable, message: "KithWeb writes no raw markup; use .text")
    static func raw(_ text: String) -> Node { .text(text) }
}

// MARK: - Plot's attribute helpers, escaping (same signatures as Plot's)

extension Attribute where Context: HTMLContext {
    static func id(_ id: String) -> Attribute { .escaped("id", id) }
    static func `class`(_ className: String) -> Attribute { .escaped("class", className) }
    static func data(named name: String, value: String) -> Attribute { .escaped("data-\(name)", value) }
    static func title(_ title: String) -> Attribute { .escaped("title", title) }
}

extension Node where Context: HTMLContext {
    static func id(_ id: String) -> Node { .escapedAttribute("id", id) }
    static func `class`(_ className: String) -> Node { .escapedAttribute("class", className) }
    static func data(named name: String, value: String) -> Node { .escapedAttribute("data-\(name)", value) }
    static func title(_ title: String) -> Node { .escapedAttribute("title", title) }
}

extension Attribute where Context: HTMLNamableContext {
    static func name(_ name: String) -> Attribute { .escaped("name", name) }
}

extension Node where Context: HTMLNamableContext {
    static func name(_ name: String) -> Node { .escapedAttribute("name", name) }
}

extension Attribute where Context == HTML.MetaContext {
    static func property(_ property: String) -> Attribute { .escaped("property", property) }
    static func content(_ content: String) -> Attribute { .escaped("content", content) }
}

extension Attribute where Context: HTMLTypeContext {
    static func type(_ type: String) -> Attribute { .escaped("type", type) }
}

extension Attribute where Context: HTMLValueContext {
    static func value(_ value: String) -> Attribute { .escaped("value", value, ignoreIfValueIsEmpty: false) }
}

extension Node where Context: HTMLValueContext {
    static func value(_ value: String) -> Node { .escapedAttribute("value", value, ignoreIfValueIsEmpty: false) }
}

extension Attribute where Context == HTML.LinkContext {
    static func sizes(_ sizes: String) -> Attribute { .escaped("sizes", sizes) }
    static func color(_ color: String) -> Attribute { .escaped("color", color) }
}

extension Attribute where Context: HTMLLinkableContext {
    static func href(_ url: any URLRepresentable) -> Attribute { .escaped("href", AttributeValue.url(url)) }
}

extension Node where Context: HTMLLinkableContext {
    static func href(_ url: any URLRepresentable) -> Node { .escapedAttribute("href", AttributeValue.url(url)) }
}

extension Node where Context == HTML.TimeContext {
    static func datetime(_ datetime: String) -> Node { .escapedAttribute("datetime", datetime) }
}

extension Attribute where Context: HTMLSourceContext {
    static func src(_ url: any URLRepresentable) -> Attribute { .escaped("src", AttributeValue.url(url)) }
}

extension Node where Context: HTMLSourceContext {
    static func src(_ url: any URLRepresentable) -> Node { .escapedAttribute("src", AttributeValue.url(url)) }
}

extension Attribute where Context == HTML.ObjectContext {
    static func data(_ url: any URLRepresentable) -> Attribute { .escaped("data", AttributeValue.url(url)) }
}

extension Node where Context == HTML.ObjectContext {
    static func data(_ url: any URLRepresentable) -> Node { .escapedAttribute("data", AttributeValue.url(url)) }
}

extension Attribute where Context == HTML.PictureSourceContext {
    static func srcset(_ set: String) -> Attribute { .escaped("srcset", set) }
    static func media(_ query: String) -> Attribute { .escaped("media", query) }
    static func type(_ type: String) -> Attribute { .escaped("type", type) }
}

extension Node where Context == HTML.FormContext {
    static func action(_ url: any URLRepresentable) -> Node { .escapedAttribute("action", AttributeValue.url(url)) }
}

extension Node where Context == HTML.LabelContext {
    static func `for`(_ target: String) -> Node { .escapedAttribute("for", target) }
}

extension Attribute where Context == HTML.InputContext {
    static func placeholder(_ placeholder: String) -> Attribute { .escaped("placeholder", placeholder) }
}

extension Node where Context == HTML.TextAreaContext {
    static func placeholder(_ placeholder: String) -> Node { .escapedAttribute("placeholder", placeholder) }
}

extension Attribute where Context == HTML.OptionContext {
    static func label(_ label: String) -> Attribute { .escaped("label", label) }
}

extension Node where Context: HTMLStylableContext {
    static func style(_ css: String) -> Node { .escapedAttribute("style", css) }
}

extension Attribute where Context == HTML.IFrameContext {
    static func allow(_ features: String...) -> Attribute { .escaped("allow", features.joined(separator: "; ")) }
}

extension Attribute where Context == HTML.ImageContext {
    static func alt(_ text: String) -> Attribute { .escaped("alt", text, ignoreIfValueIsEmpty: false) }
}

extension Node where Context: HTML.BodyContext {
    static func ariaLabel(_ label: String) -> Node { .escapedAttribute("aria-label", label) }
    static func ariaControls(_ child: String) -> Node { .escapedAttribute("aria-controls", child) }
    @available(*, unavailable, message: "Kith pages run no inline script (see the content security policy)")
    static func onclick(_ script: String) -> Node { .empty }
}

extension Attribute where Context: HTMLIntegrityContext {
    static func integrity(_ hash: String) -> Attribute { .escaped("integrity", hash) }
}

extension Node where Context: HTMLIntegrityContext {
    static func integrity(_ hash: String) -> Node { .escapedAttribute("integrity", hash) }
}

// MARK: - Plot's head components, which write their text into meta attributes

extension Node where Context == HTML.HeadContext {
    static func stylesheet(_ url: any URLRepresentable, integrity: String? = nil) -> Node {
        .link(.rel(.stylesheet), .href(url), .type("text/css"), .unwrap(integrity) { .integrity($0) })
    }

    static func url(_ url: any URLRepresentable) -> Node {
        .group([.link(.rel(.canonical), .href(url)), .meta(.name("twitter:url"), .content(AttributeValue.url(url)))])
    }

    static func siteName(_ name: String) -> Node { .meta(.property("og:site_name"), .content(name)) }

    static func title(_ title: String) -> Node {
        .group([
            .element(named: "title", text: title),
            .meta(.name("twitter:title"), .content(title)),
            .meta(.property("og:title"), .content(title)),
        ])
    }

    static func description(_ text: String) -> Node {
        .group([
            .meta(.name("description"), .content(text)),
            .meta(.name("twitter:description"), .content(text)),
            .meta(.property("og:description"), .content(text)),
        ])
    }

    static func socialImageLink(_ url: any URLRepresentable) -> Node {
        .group([
            .meta(.name("twitter:image"), .content(AttributeValue.url(url))),
            .meta(.property("og:image"), .content(AttributeValue.url(url))),
        ])
    }

    static func twitterUsername(_ username: String) -> Node { .meta(.name("twitter:site"), .content(username)) }

    static func favicon(_ url: any URLRepresentable, type: String = "image/png") -> Node {
        .link(.rel(.shortcutIcon), .href(url), .type(type))
    }

    static func rssFeedLink(_ url: any URLRepresentable, title: String? = nil) -> Node {
        .link(.rel(.alternate), .href(url), .type("application/rss+xml"), .unwrap(title) { .title($0) })
    }
}

// MARK: - The check that the overloads above are the ones KithWeb code reaches

/// Every helper above, called the way a view calls it — from inside KithWeb, where the escaping
/// declarations shadow Plot's. From any other module both would be visible and ambiguous, so the
/// test (`SecurityHardeningTests.everyAttributeHelperEscapes`) renders this page instead.
enum AttributeEscapingSample {
    static func render(_ value: String) -> String {
        let link: Node<HTML.BodyContext> = .a(
            .href(value),
            .id(value),
            .class(value),
            .title(value),
            .attribute(named: "data-x", value: value)
        )
        let input: Node<HTML.FormContext> = .input(.name(value), .value(value), .placeholder(value))
        let form: Node<HTML.BodyContext> = .form(.action(value), input)
        let label: Node<HTML.BodyContext> = .label(.for(value), .text("l"))
        let time: Node<HTML.BodyContext> = .time(.datetime(value))
        let image: Node<HTML.BodyContext> = .img(.src(value), .alt(value))
        let division: Node<HTML.BodyContext> = .div(.ariaLabel(value), .ariaControls(value), .style(value))
        let data: Node<HTML.BodyContext> = .div(.data(named: "y", value: value))
        let textarea: Node<HTML.BodyContext> = .textarea(.placeholder(value), .text(""))
        let head: Node<HTML.DocumentContext> = .head(.title(value), .description(value), .stylesheet(value))
        let body: Node<HTML.DocumentContext> = .body(link, form, label, time, image, division, data, textarea)
        return HTML(head, body).render()
    }
}
