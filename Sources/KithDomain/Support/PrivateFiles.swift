public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that hold members' data — the database and its data directory, backups, exports, mail
/// drops — are readable by their owner only (directories 0700, files 0600), are never written over,
/// and are never written through a symbolic link someone else planted.
public enum PrivateFiles {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Creates `path` (and its parents) as owner-only directories; tightens an existing one.
    public static func directory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        }
        _ = chmod(path, 0o700)
    }

    /// Whether anything — a file, a directory or a symbolic link, even a dangling one — is at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Writes `data` to a new file at `path`, readable by its owner only. Fails if anything is
    /// there already (a file, or a link that would send the data elsewhere).
    public static func writeNew(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST || errno == ELOOP {
                throw Failure(description: "\(path) already exists; choose a new file.")
            }
            throw Failure(description: "Cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    }

    /// Makes an existing file owner-only (for files another library created).
    public static func restrict(_ path: String) {
        _ = chmod(path, 0o600)
    }

    /// New files and directories the process makes are owner-only from here on (umask 077).
    public static func ownerOnlyFromNowOn() {
        umask(0o077)
    }
}
