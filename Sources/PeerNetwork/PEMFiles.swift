#if canImport(Glibc)
import Glibc
#endif
import LedgerCore

/// Reading and writing the PEM files of a node's TLS identity.
///
/// The same rules as `LedgerCrypto.KeyFile` (whose helpers are private to that
/// module): private keys are written atomically with mode 0600 and read only
/// from a regular file owned by the current user with no group or other bits.
enum PEMFiles {
    static let maxFileBytes = PEMParsing.maxPEMBytes

    /// `secret`: the file holds a private key, so its owner and mode are checked
    /// (on the open descriptor, so a rename in between cannot swap the file).
    static func read(_ path: String, secret: Bool) throws(PeerNetworkError) -> String {
        // O_NONBLOCK: opening a FIFO planted at the path must not hang.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw systemError(path, "open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError(path, "fstat") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .file(path: path, problem: "not a regular file") }
        if secret {
            guard info.st_uid == geteuid() else {
                throw .file(path: path, problem: "owned by uid \(info.st_uid), not by the current user (uid \(geteuid()))")
            }
            guard info.st_mode & 0o077 == 0 else {
                throw .keyFilePermissionsTooOpen(path: path, mode: UInt32(info.st_mode & 0o777))
            }
        }
        guard info.st_size <= maxFileBytes else {
            throw .file(path: path, problem: "\(info.st_size) bytes is too large for a PEM file (limit \(maxFileBytes))")
        }
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        // Bounded by the size fstat reported; a short read ends the loop.
        while filled < buffer.count {
            let n = buffer[filled...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        guard filled == buffer.count, let text = String(validating: buffer, as: UTF8.self) else {
            throw .file(path: path, problem: "not readable as UTF-8 text")
        }
        return text
    }

    /// Replaces `path` atomically: a fresh temporary file in the same directory
    /// is written, fsynced and renamed into place, then the directory is fsynced,
    /// so a crash leaves the old file or the new one, never a torn one.
    static func write(_ text: String, to path: String, mode: mode_t) throws(PeerNetworkError) {
        let directory = parentDirectory(of: path)
        let temporary = try createTemporary(in: directory, for: path, mode: mode)
        var placed = false
        defer { if !placed { unlink(temporary.path) } }
        do {
            defer { close(temporary.fd) }
            try writeAll(Array(text.utf8), to: temporary.fd, path: path)
            // The umask may have narrowed the mode given to open(); certificates are meant to be world-readable.
            guard fchmod(temporary.fd, mode) == 0 else { throw systemError(path, "fchmod") }
            guard fsync(temporary.fd) == 0 else { throw systemError(path, "fsync") }
        }
        guard rename(temporary.path, path) == 0 else { throw systemError(path, "rename") }
        placed = true
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { throw systemError(path, "open (directory \(directory))") }
        defer { close(dirFD) }
        guard fsync(dirFD) == 0 else { throw systemError(path, "fsync (directory \(directory))") }
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func createTemporary(in directory: String, for path: String, mode: mode_t) throws(PeerNetworkError) -> (fd: Int32, path: String) {
        // Random names make a collision with a concurrent writer practically
        // impossible; O_EXCL makes one fail loudly rather than share a file.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let suffix = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let candidate = "\(directory)/.civic-pem-\(Hex.encode(suffix)).tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST { throw systemError(path, "open (temporary file in \(directory))") }
        }
        throw .file(path: path, problem: "could not create a temporary file in \(directory)")
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(PeerNetworkError) {
        var written = 0
        // Each pass writes at least one byte or throws.
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw systemError(path, "write") }
            written += n
        }
    }

    private static func systemError(_ path: String, _ call: String) -> PeerNetworkError {
        let code = errno
        return .file(path: path, problem: "\(call) failed: \(String(cString: strerror(code))) (errno \(code))")
    }
}
