import CLISupport
#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// Reads a document named on the command line (`-` is standard input).
enum InputFile {
    static let chunkSize = 1 << 20

    /// Streams the file through `body` in 1 MiB chunks, so any size works.
    static func stream(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(CLIFailure) {
        let fd: Int32 = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .input("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { if path != "-" { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw .input("\(path) is a directory")
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .input("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { return }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0.prefix(n))) }
        }
    }

    static func digest(_ path: String, suite: any CryptoSuite) throws(CLIFailure) -> Digest {
        let hasher = suite.makeHasher()
        try stream(path) { hasher.update($0) }
        return hasher.finalize()
    }
}
