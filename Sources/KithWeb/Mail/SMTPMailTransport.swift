import Foundation
public import KithDomain
import NIOCore
import NIOPosix
import NIOSSL

/// Delivers mail to an SMTP server (RFC 5321): EHLO, STARTTLS (RFC 3207) when the server offers
/// it, optional AUTH PLAIN, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. `smtps://` speaks TLS
/// from the first byte (RFC 8314). The server's certificate is checked against the system's trust
/// store (plus `KITH_MAIL_CA_FILE`, for a private CA). A password is sent only over TLS, or to a
/// relay on this machine. One connection per message; the outbox retries failures with back-off.
public struct SMTPMailTransport: MailTransport {
    public enum Security: Sendable, Equatable {
        /// STARTTLS when offered; a password goes only over TLS unless the server is on loopback.
        case startTLSWhenOffered
        /// TLS from the start (`smtps://`, port 465).
        case implicitTLS
    }

    let host: String
    let port: Int
    let username: String?
    let password: String?
    let timeout: Duration
    let security: Security
    /// PEM file of extra certificate authorities to trust.
    let caFile: String?

    public init(
        host: String,
        port: Int,
        username: String? = nil,
        password: String? = nil,
        security: Security = .startTLSWhenOffered,
        caFile: String? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.caFile = caFile
        self.timeout = timeout
    }

    private func tlsHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        let context = try NIOSSLContext(configuration: configuration)
        return try NIOSSLClientHandler(context: context, serverHostname: host.first?.isNumber == true ? nil : host)
    }

    public func send(_ mail: OutgoingMail, from sender: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deliver(mail, from: sender) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPError(reply: "timed out after \(timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func deliver(_ mail: OutgoingMail, from sender: String) async throws {
        let implicit = security == .implicitTLS
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit { try channel.pipeline.syncOperations.addHandler(try self.tlsHandler()) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        let envelopeFrom = Self.address(in: sender)
        try await channel.executeThenClose { inbound, outbound in
            var replies = SMTPReplyReader(inbound.makeAsyncIterator())
            func expect(_ code: Int) async throws {
                let (received, text) = try await replies.next()
                guard received == code else { throw SMTPError(reply: "\(received) \(text)") }
            }
            func command(_ line: String, expecting code: Int) async throws {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                try await expect(code)
            }
            try await expect(220)
            var capabilities = try await ehlo()
            var encrypted = implicit
            if !encrypted && capabilities.contains("STARTTLS") {
                try await command("STARTTLS", expecting: 220)
                // Made on the channel's event loop, where it stays (a TLS handler is not Sendable).
                try await raw.eventLoop.submit { try raw.pipeline.syncOperations.addHandler(try self.tlsHandler(), position: .first) }.get()
                encrypted = true
                capabilities = try await ehlo()
            }
            if username != nil && !Self.mayAuthenticate(encrypted: encrypted, host: host) {
                try await outbound.write(ByteBuffer(string: "QUIT\r\n"))
                throw SMTPError(reply: "\(host) does not offer STARTTLS; the password is not sent unencrypted")
            }
            func ehlo() async throws -> [String] {
                try await outbound.write(ByteBuffer(string: "EHLO kith\r\n"))
                let (code, text) = try await replies.nextLines()
                guard code == 250 else { throw SMTPError(reply: "\(code) \(text.joined(separator: " "))") }
                return text.map { $0.uppercased() }
            }
            if let username, let password {
                let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await command("AUTH PLAIN \(token)", expecting: 235)
            }
            try await command("MAIL FROM:<\(envelopeFrom)>", expecting: 250)
            try await command("RCPT TO:<\(mail.to)>", expecting: 250)
            try await command("DATA", expecting: 354)
            let body = MailTransports.message(mail, from: sender)
                .components(separatedBy: "\r\n")
                .map { $0.hasPrefix(".") ? "." + $0 : $0 }
                .joined(separator: "\r\n")
            try await command(body + "\r\n.", expecting: 250)
            try await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    /// A password goes over TLS, or to a relay on this machine — never in clear across a network.
    static func mayAuthenticate(encrypted: Bool, host: String) -> Bool {
        encrypted || NetworkAddress.isLoopback(host: host)
    }

    /// `Kith <no-reply@example.org>` → `no-reply@example.org`.
    static func address(in sender: String) -> String {
        guard let open = sender.lastIndex(of: "<"), let close = sender.lastIndex(of: ">"), open < close else { return sender }
        return String(sender[sender.index(after: open)..<close])
    }
}

struct SMTPError: Error, CustomStringConvertible {
    let reply: String
    var description: String { "SMTP: \(reply)" }
}

/// Reads SMTP replies, joining multi-line ones ("250-…" continued until "250 …").
struct SMTPReplyReader {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending = ""

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> (Int, String) {
        let (code, lines) = try await nextLines()
        return (code, lines.joined(separator: " "))
    }

    /// A reply with each of its lines (an EHLO reply lists one capability a line).
    mutating func nextLines() async throws -> (Int, [String]) {
        var text: [String] = []
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError(reply: "unreadable reply \(line.prefix(80))") }
            text.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return (code, text) }
        }
    }

    private mutating func nextLine() async throws -> String {
        while true {
            if let range = pending.range(of: "\r\n") ?? pending.range(of: "\n") {
                let line = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                return line
            }
            guard var buffer = try await iterator.next() else { throw SMTPError(reply: "connection closed") }
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
        }
    }
}
