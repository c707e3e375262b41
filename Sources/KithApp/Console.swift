import Foundation

/// Prints a line to standard output at once (print() is buffered when output goes to a file).
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Prints progress for long work on one line of the terminal, and a summary at the end.
public struct ConsoleProgress {
    let label: String
    let total: Int
    private let start = Date()

    public init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    public func update(_ done: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        let elapsed = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) (\(percent)%) \(String(format: "%.1f", elapsed)) s".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    public var seconds: Double { Date().timeIntervalSince(start) }
}
