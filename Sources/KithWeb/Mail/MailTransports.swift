public import Foundation
public import KithDomain

/// Picks the mail transport from a URL: `smtp://[user:password@]host[:port]` (STARTTLS when
/// offered, and required before a password leaves this machine), `smtps://…` (TLS from the start)
/// or `file:///dir`.
public enum MailTransports {
    public static func make(_ url: String?) throws -> any MailTransport {
        guard let url, !url.isEmpty else { return DiscardingMailTransport() }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased() else {
            throw DomainError.invalid(field: "mail-url", reason: "must be smtp://host:port or file:///directory")
        }
        switch scheme {
        case "file":
            return FileDropMailTransport(directory: URL(fileURLWithPath: parsed.path))
        case "smtp", "smtps":
            guard let host = parsed.host, !host.isEmpty else {
                throw DomainError.invalid(field: "mail-url", reason: "must name the SMTP host, as in smtp://mail.example.org:587")
            }
            let caFile = ProcessInfo.processInfo.environment["KITH_MAIL_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            return SMTPMailTransport(
                host: host,
                port: parsed.port ?? (scheme == "smtps" ? 465 : 25),
                username: parsed.user?.removingPercentEncoding,
                password: parsed.password?.removingPercentEncoding,
                security: scheme == "smtps" ? .implicitTLS : .startTLSWhenOffered,
                caFile: caFile
            )
        default:
            throw DomainError.invalid(field: "mail-url", reason: "must start with smtp://, smtps:// or file://")
        }
    }

    /// A header value on one line: a CR or LF in it would start a new header.
    static func headerValue(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    }

    /// The message as RFC 5322 text, CRLF line ends: multipart/alternative with the plain text
    /// and the same words as HTML (`MailHTML`), an encoded subject, and — for a kind the member may
    /// turn off — `List-Unsubscribe` with `List-Unsubscribe-Post` (RFC 8058 one-click).
    public static func message(_ mail: OutgoingMail, from sender: String, date: Date = Date()) -> String {
        let subjectText = headerValue(mail.subject)
        let subject = subjectText.allSatisfy(\.isASCII) ? subjectText : "=?UTF-8?B?\(Data(subjectText.utf8).base64EncodedString())?="
        // Every line ends in CR LF, and no CR or LF stands alone (RFC 5321 §2.3.8).
        func crlf(_ text: String) -> String {
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .replacingOccurrences(of: "\n", with: "\r\n")
        }
        let dateText = date.formatted(
            Date.VerbatimFormatStyle(
                format:
                    "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) +0000",
                locale: Locale(identifier: "en_US_POSIX"),
                timeZone: TimeZone(identifier: "UTC")!,
                calendar: Calendar(identifier: .gregorian)
            )
        )
        let boundary = "kith-\(mail.id)"
        var headers = [
            "From: \(headerValue(sender))", "To: \(headerValue(mail.to))", "Subject: \(subject)", "Date: \(dateText)",
            "Message-ID: <\(mail.id)@kith>", "MIME-Version: 1.0",
        ]
        if let unsubscribe = mail.unsubscribeURL {
            headers += ["List-Unsubscribe: <\(headerValue(unsubscribe))>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
        }
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        // The text as written (8-bit UTF-8, short lines); the HTML, rendered on one line, in base64
        // so that no line passes RFC 5322's 998 octets.
        let text = ["--\(boundary)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", crlf(mail.body)]
        let html = Data(MailHTML.render(mail).utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return
            (headers + ["", "This is a message in two forms: plain text and HTML."] + text + [
                "--\(boundary)", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "", html, "--\(boundary)--",
                "",
            ]).joined(separator: "\r\n")
    }
}

/// Keeps mail in the outbox: with no transport configured nothing is sent, and nothing is lost.
public struct DiscardingMailTransport: MailTransport {
    public init() {}

    public func send(_ mail: OutgoingMail, from sender: String) async throws {
        throw MailNotConfigured()
    }
}

struct MailNotConfigured: Error, CustomStringConvertible {
    var description: String { "no mail transport is configured (kith serve --mail-url)" }
}

/// Development delivery: each message becomes one `.eml` file in a directory.
public struct FileDropMailTransport: MailTransport {
    let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func send(_ mail: OutgoingMail, from sender: String) async throws {
        try PrivateFiles.directory(directory.path)
        let file = directory.appendingPathComponent("\(mail.id).eml")
        // A retry after a crash may find the file of an earlier try: that message is the same.
        if PrivateFiles.exists(file.path) { return }
        try PrivateFiles.writeNew(Data(MailTransports.message(mail, from: sender).utf8), to: file.path)
    }
}
