#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LedgerState

/// Reads a whole regular file of at most `limit` bytes, with the system's own
/// reason when it cannot (no such file, permission denied, is a directory).
enum BoundedFileRead {
    static func read(path: String, limit: Int) throws(GenesisError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: path, reason: systemReason()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: path, reason: systemReason()) }
        // Refused before reading: a directory gives EISDIR only on read, and a
        // FIFO or device could block or never end.
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind = info.st_mode & S_IFMT == S_IFDIR ? "is a directory" : "not a regular file"
            throw .unreadable(file: path, reason: kind)
        }
        // The size from fstat can change while reading, so the read itself is
        // bounded: one byte past the limit is enough to know it is too large.
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(file: path, reason: systemReason())
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard bytes.count <= limit else {
            throw .fileTooLarge(file: path, size: max(bytes.count, Int(info.st_size)), limit: limit)
        }
        return bytes
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno)).lowercased()
    }
}
