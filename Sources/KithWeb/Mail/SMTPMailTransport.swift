import Foundation
public import KithDomain
import NIOCore
import NIOPosix

/// Delivers mail to an SMTP relay (RFC 5321): EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO,
/// DATA with dot-stuffing, QUIT. Plain TCP: point it at a local relay or submission port that
/// handles onward TLS. One connection per message; the outbox retries failures with back-off.
public struct SMTPMailTransport: MailTransport {
    let host: String
    let port: Int
    let username: String?
    let password: String?
    let timeout: Duration

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, timeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.timeout = timeout
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
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
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
            try await command("EHLO kith", expecting: 250)
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
        var text: [String] = []
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError(reply: "unreadable reply \(line.prefix(80))") }
            text.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return (code, text.joined(separator: " ")) }
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
