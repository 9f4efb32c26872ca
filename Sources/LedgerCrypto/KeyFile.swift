#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import SwiftASN1

/// Private keys on disk: PEM `PRIVATE KEY` (PKCS#8, see `PKCS8ECKey`).
///
/// Written atomically with mode 0600 (a crash leaves the old key or the new
/// one, never a torn or empty file); loaded only when the file is a regular
/// file owned by the current user with no group or other permission bits, as
/// ssh insists.
public enum KeyFile {
    /// Key files are a few hundred bytes; anything far larger is not a key file.
    static let maxFileSize = 16 * 1024

    /// The PEM label of PKCS#8 private keys (RFC 7468), as `openssl genpkey` writes it.
    public static let pemLabel = "PRIVATE KEY"

    public static func pem(for key: PrivateKey) -> String {
        let payload = PKCS8ECKey(
            curve: ASN1ObjectIdentifier(suiteCurve: key.suite), scalar: key.scalar,
            publicPoint: key.publicKey.uncompressed)
        do {
            return PEMDocument(type: pemLabel, derBytes: try payload.serialize()).pemString + "\n"
        } catch {
            preconditionFailure("encoding a valid key cannot fail: \(error)")
        }
    }

    /// Parses a PEM key. With `expecting`, a key of the other suite is an error.
    public static func parse(pem: String, path: String = "<input>", expecting: SuiteID? = nil) throws(CryptoError) -> PrivateKey {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: pem)
        } catch {
            throw .keyFile(path: path, problem: .notPEM)
        }
        guard document.discriminator == pemLabel else {
            throw .keyFile(path: path, problem: .wrongPEMType(found: document.discriminator))
        }
        let payload: PKCS8ECKey
        do {
            payload = try PKCS8ECKey.parse(der: document.derBytes)
        } catch {
            throw .keyFile(path: path, problem: .malformed(DERErrorText.describe(error)))
        }
        guard let suite = SuiteID.allCases.first(where: { ASN1ObjectIdentifier(suiteCurve: $0) == payload.curve }) else {
            throw .keyFile(path: path, problem: .unsupportedCurve(String(describing: payload.curve)))
        }
        if let expecting, expecting != suite {
            throw .wrongSuite(expected: expecting, found: suite)
        }
        let crypto = CryptoSuites.suite(suite)
        guard let key = try? crypto.privateKey(rawScalar: payload.scalar) else {
            throw .keyFile(path: path, problem: .scalarOutOfRange(suite))
        }
        if let stated = payload.publicPoint, (try? crypto.publicKey(sec1: stated)) != key.publicKey {
            throw .keyFile(path: path, problem: .publicKeyMismatch)
        }
        return key
    }

    /// Writes a key file. Without `overwrite`, an existing file (or symlink) at
    /// `path` is never replaced.
    ///
    /// The key goes to a fresh temporary file in the same directory, is fsynced,
    /// then linked (no-replace) or renamed (replace) into place, and the
    /// directory is fsynced so the name itself survives power loss.
    public static func write(_ key: PrivateKey, to path: String, overwrite: Bool = false) throws(CryptoError) {
        let bytes = Array(pem(for: key).utf8)
        let directory = parentDirectory(of: path)
        let temporary = try createTemporary(in: directory, for: path)
        var placed = false
        defer { if !placed { unlink(temporary.path) } }
        do {
            defer { close(temporary.fd) }
            try writeAll(bytes, to: temporary.fd, path: path)
            guard fsync(temporary.fd) == 0 else { throw systemError(path, "fsync") }
        }
        if overwrite {
            guard rename(temporary.path, path) == 0 else { throw systemError(path, "rename") }
            placed = true
        } else {
            // link() fails with EEXIST instead of replacing: an atomic no-clobber.
            guard link(temporary.path, path) == 0 else {
                if errno == EEXIST { throw .keyFile(path: path, problem: .alreadyExists) }
                throw systemError(path, "link")
            }
            unlink(temporary.path)
            placed = true
        }
        try syncDirectory(directory, keyPath: path)
    }

    public static func load(from path: String, expecting: SuiteID? = nil) throws(CryptoError) -> PrivateKey {
        // O_NONBLOCK: opening a FIFO planted at the path must not hang.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw systemError(path, "open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError(path, "fstat") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .keyFile(path: path, problem: .notRegularFile) }
        guard info.st_uid == geteuid() else {
            throw .keyFile(path: path, problem: .wrongOwner(owner: info.st_uid, expected: geteuid()))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .keyFile(path: path, problem: .permissionsTooOpen(mode: info.st_mode & 0o777))
        }
        guard info.st_size <= maxFileSize else {
            throw .keyFile(path: path, problem: .tooLarge(bytes: Int(info.st_size), limit: maxFileSize))
        }
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        // Bounded by the size fstat reported; a short read ends the loop.
        while filled < buffer.count {
            let n = buffer[filled...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        guard filled == buffer.count, let text = String(validating: buffer, as: UTF8.self) else {
            throw .keyFile(path: path, problem: .notText)
        }
        return try parse(pem: text, path: path, expecting: expecting)
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func createTemporary(in directory: String, for path: String) throws(CryptoError) -> (fd: Int32, path: String) {
        // Random names make collisions with a concurrent writer practically
        // impossible; O_EXCL makes one fail loudly rather than share a file.
        for _ in 0..<8 {
            guard let suffix = try? Randomness.bytes(8) else { throw .randomnessUnavailable }
            let candidate = "\(directory)/.civic-key-\(Hex.encode(suffix)).tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST { throw systemError(path, "open (temporary file in \(directory))") }
        }
        throw .keyFile(path: path, problem: .alreadyExists)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(CryptoError) {
        var written = 0
        // Each pass writes at least one byte or throws.
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw systemError(path, "write") }
            written += n
        }
    }

    private static func syncDirectory(_ directory: String, keyPath: String) throws(CryptoError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError(keyPath, "open (directory \(directory))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw systemError(keyPath, "fsync (directory \(directory))") }
    }

    private static func systemError(_ path: String, _ call: String) -> CryptoError {
        let code = errno
        return .keyFile(path: path, problem: .system(call: call, errno: code, text: String(cString: strerror(code))))
    }
}

extension ASN1ObjectIdentifier {
    init(suiteCurve suite: SuiteID) {
        // Both OIDs are constants with valid arcs.
        self = try! ASN1ObjectIdentifier(elements: suite.curveOID)
    }
}
