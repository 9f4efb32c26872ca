#if canImport(Glibc)
import Glibc
#endif

enum Console {
    static func error(_ message: String) {
        // One line, whatever the message held, so scripts can read it with `read`.
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        let bytes = Array("civic: error: \(line)\n".utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
