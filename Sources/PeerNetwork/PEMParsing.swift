import Crypto
import X509

/// Strict readers for the PEM text this module handles, mapping every library
/// error to a `PeerNetworkError` that names what was being read.
enum PEMParsing {
    /// Certificates and keys are a few kilobytes; far larger input is not one.
    static let maxPEMBytes = 64 * 1024

    static func certificate(_ pem: String, what: String) throws(PeerNetworkError) -> Certificate {
        guard pem.utf8.count <= maxPEMBytes else {
            throw .invalidCertificate(what: what, reason: "\(pem.utf8.count) bytes is too large (limit \(maxPEMBytes))")
        }
        do {
            return try Certificate(pemEncoded: pem)
        } catch {
            throw .invalidCertificate(what: what, reason: String(describing: error))
        }
    }

    /// Only P-256 keys: they are what the cluster uses for TLS, and refusing the
    /// rest here gives a clear error instead of a handshake that mysteriously fails.
    static func privateKey(_ pem: String, what: String) throws(PeerNetworkError) -> Certificate.PrivateKey {
        guard pem.utf8.count <= maxPEMBytes else {
            throw .invalidPrivateKey(what: what, reason: "\(pem.utf8.count) bytes is too large (limit \(maxPEMBytes))")
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: pem)
        } catch {
            throw .invalidPrivateKey(what: what, reason: String(describing: error))
        }
        guard key.publicKey.isP256 else {
            throw .invalidPrivateKey(what: what, reason: "the key is not on curve P-256")
        }
        return key
    }
}

extension Certificate.PublicKey {
    var isP256: Bool { P256.Signing.PublicKey(self) != nil }
}

extension Certificate {
    /// basicConstraints CA:true and, when keyUsage is present, keyCertSign.
    var isCertificateAuthority: Bool {
        guard let constraints = try? extensions.basicConstraints,
            case .isCertificateAuthority = constraints
        else { return false }
        if let usage = try? extensions.keyUsage {
            return usage.keyCertSign
        }
        return true
    }
}
