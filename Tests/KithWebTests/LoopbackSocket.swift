import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to a test server on loopback, for what the test client cannot do: hang up
/// mid-request, or keep a request in flight on a connection of its own.
enum LoopbackSocket {
    /// Connects to 127.0.0.1:`port` and sends `text`, leaving the connection open.
    static func send(_ text: String, port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), 0) }
        return fd
    }

    /// Reads until the server closes the connection, then closes it here.
    static func readAll(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(fd)
        return String(decoding: bytes, as: UTF8.self)
    }
}
