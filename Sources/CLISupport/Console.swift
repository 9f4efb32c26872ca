import Foundation

/// Unbuffered output: each line reaches the file descriptor before the call
/// returns, so a process killed right after printing has lost nothing it printed.
public enum Console {
    public static func writeOut(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDOUT_FILENO)
    }

    public static func writeError(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    /// Text as is, no newline added: progress lines redrawn with `\r`.
    public static func writeRaw(_ text: String, toError: Bool) {
        write(text, to: toError ? STDERR_FILENO : STDOUT_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        // Each pass writes at least one byte or gives up, so this ends.
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
