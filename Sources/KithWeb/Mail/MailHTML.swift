import Foundation
import KithDomain
import Plot

/// The HTML form of an email: the plain text's paragraphs, its addresses as links, and the
/// unsubscribe link in the footer — one template for every email, built with Plot so that
/// whatever the words hold is escaped.
enum MailHTML {
    static func render(_ mail: OutgoingMail) -> String {
        let html = HTML(
            .lang(.english),
            .head(.meta(.charset(.utf8)), .element(named: "title", text: mail.subject)),
            .body(
                .div(
                    .attribute(
                        named: "style",
                        value:
                            "font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;max-width:36rem;margin:0 auto;padding:1rem;color:#1d2430;line-height:1.5"
                    ),
                    MessageFormatting.render(mail.body.replacingOccurrences(of: "\r\n", with: "\n")),
                    .unwrap(mail.unsubscribeURL) { url in
                        .p(
                            .attribute(
                                named: "style",
                                value: "color:#5b6576;font-size:.85rem;border-top:1px solid #dde2ea;padding-top:.75rem"
                            ),
                            .text("You receive this email because of your notification choices in Kith. "),
                            .a(.href(url), .text("Stop emails like this"))
                        )
                    }
                )
            )
        )
        return html.render()
    }
}
