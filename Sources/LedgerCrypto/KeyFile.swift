#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SwiftASN1

/// Private keys on disk: PEM `PRIVATE KEY` (PKCS#8, see `PKCS8ECKey`), created
/// with mode 0600 and refused when group or others can read them, as ssh does.
public enum KeyFile {
    /// Key files are a few hundred bytes; anything far larger is not a key file.
    static let maxFileSize = 16 * 1024

    public static func pem(for key: PrivateKey) -> String {
        let payload = PKCS8ECKey(
            curve: ASN1ObjectIdentifier(suiteCurve: key.suite), scalar: key.scalar,
            publicPoint: key.publicKey.uncompressed)
        do {
            return PEMDocument(type: "PRIVATE KEY", derBytes: try payload.serialize()).pemString + "\n"
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
            throw .keyFile(path: path, reason: "not a PEM document")
        }
        guard document.discriminator == "PRIVATE KEY" else {
            throw .keyFile(path: path, reason: "holds a \(document.discriminator), expected a PRIVATE KEY (PKCS#8)")
        }
        let payload: PKCS8ECKey
        do {
            payload = try PKCS8ECKey.parse(der: document.derBytes)
        } catch {
            throw .keyFile(path: path, reason: "malformed PKCS#8 key: \(error)")
        }
        guard let suite = SuiteID.allCases.first(where: { ASN1ObjectIdentifier(suiteCurve: $0) == payload.curve }) else {
            throw .keyFile(path: path, reason: "curve \(payload.curve) is neither secp256k1 (standard) nor SM2 (guomi)")
        }
        if let expecting, expecting != suite {
            throw .wrongSuite(expected: expecting, found: suite)
        }
        let key: PrivateKey
        do {
            key = try CryptoSuites.suite(suite).privateKey(rawScalar: payload.scalar)
        } catch {
            throw .keyFile(path: path, reason: "private scalar out of range for \(suite)")
        }
        if let stated = payload.publicPoint,
           (try? CryptoSuites.suite(suite).publicKey(sec1: stated)) != key.publicKey {
            throw .keyFile(path: path, reason: "stored public key does not match the private key")
        }
        return key
    }

    /// Writes a new key file; refuses to replace an existing one unless `overwrite`.
    public static func write(_ key: PrivateKey, to path: String, overwrite: Bool = false) throws(CryptoError) {
        let bytes = Array(pem(for: key).utf8)
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW
        flags |= overwrite ? O_TRUNC : O_EXCL
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw .keyFile(path: path, reason: errnoText()) }
        defer { close(fd) }
        // O_CREAT's mode does not apply to an existing file being overwritten.
        guard fchmod(fd, 0o600) == 0 else { throw .keyFile(path: path, reason: errnoText()) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .keyFile(path: path, reason: errnoText()) }
            written += n
        }
        // A key that only reached the page cache can vanish on power loss.
        guard fsync(fd) == 0 else { throw .keyFile(path: path, reason: errnoText()) }
    }

    public static func load(from path: String, expecting: SuiteID? = nil) throws(CryptoError) -> PrivateKey {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .keyFile(path: path, reason: errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .keyFile(path: path, reason: errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .keyFile(path: path, reason: "not a regular file") }
        if info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw .keyFile(path: path, reason: "permissions 0\(mode) are too open; run: chmod 600 \(path)")
        }
        guard info.st_size <= maxFileSize else {
            throw .keyFile(path: path, reason: "\(info.st_size) bytes is too large for a key file")
        }
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size))
        var read = 0
        while read < buffer.count {
            let n = buffer[read...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            read += n
        }
        guard read == buffer.count, let text = String(validating: buffer, as: UTF8.self) else {
            throw .keyFile(path: path, reason: "could not read the file as text")
        }
        return try parse(pem: text, path: path, expecting: expecting)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

extension ASN1ObjectIdentifier {
    init(suiteCurve suite: SuiteID) {
        // Both OIDs are constants with valid arcs.
        self = try! ASN1ObjectIdentifier(elements: suite.curveOID)
    }
}
