import LedgerCore
import NIOSSL
import X509

/// The CA certificate, this node's certificate and its TLS private key, loaded from PEM files.
///
/// Everything is checked when the identity is built, so a misconfigured node
/// fails at startup with a sentence instead of at its first handshake: the CA is
/// a CA, the node certificate was signed by it and binds a genesis key, the key
/// belongs to the certificate, and BoringSSL accepts all three.
public struct TLSIdentity: Sendable, CustomStringConvertible {
    public let caCertificate: Certificate
    public let certificate: Certificate
    /// The genesis node key the certificate binds (`GenesisKeyBinding`).
    public let nodeKey: [UInt8]

    let sslCACertificate: NIOSSLCertificate
    let sslCertificate: NIOSSLCertificate
    let sslPrivateKey: NIOSSLPrivateKey

    public init(caPEM: String, certificatePEM: String, privateKeyPEM: String) throws(PeerNetworkError) {
        try self.init(caPEM: caPEM, certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM, sources: nil)
    }

    /// `sources` names the files in errors; nil for PEM text given directly.
    private init(caPEM: String, certificatePEM: String, privateKeyPEM: String, sources: (ca: String, certificate: String, key: String)?) throws(PeerNetworkError) {
        let caWhat = sources.map { "cluster CA certificate \($0.ca)" } ?? "cluster CA certificate"
        let certificateWhat = sources.map { "node certificate \($0.certificate)" } ?? "node certificate"
        let keyWhat = sources.map { "node TLS key \($0.key)" } ?? "node TLS key"

        let ca = try PEMParsing.certificate(caPEM, what: caWhat)
        guard ca.isCertificateAuthority else { throw .notACertificateAuthority(what: caWhat) }
        let certificate = try PEMParsing.certificate(certificatePEM, what: certificateWhat)
        let key = try PEMParsing.privateKey(privateKeyPEM, what: keyWhat)
        guard key.publicKey == certificate.publicKey else { throw .keyDoesNotMatchCertificate(what: certificateWhat) }
        guard certificate.issuer == ca.subject, ca.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw .notIssuedByClusterCA
        }
        guard let nodeKey = GenesisKeyBinding.nodeKey(in: certificate) else { throw .missingGenesisKeyBinding }

        do {
            sslCACertificate = try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)
        } catch {
            throw .invalidCertificate(what: caWhat, reason: "BoringSSL: \(error)")
        }
        do {
            sslCertificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
        } catch {
            throw .invalidCertificate(what: certificateWhat, reason: "BoringSSL: \(error)")
        }
        do {
            sslPrivateKey = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        } catch {
            throw .invalidPrivateKey(what: keyWhat, reason: "BoringSSL: \(error)")
        }
        self.caCertificate = ca
        self.certificate = certificate
        self.nodeKey = nodeKey
    }

    /// The key file must be a regular file owned by the current user with no
    /// group or other permission bits (0600 or 0400); anything else is refused,
    /// naming the path.
    public static func load(caPath: String, certificatePath: String, privateKeyPath: String) throws(PeerNetworkError) -> TLSIdentity {
        let caPEM = try PEMFiles.read(caPath, secret: false)
        let certificatePEM = try PEMFiles.read(certificatePath, secret: false)
        let keyPEM = try PEMFiles.read(privateKeyPath, secret: true)
        return try TLSIdentity(
            caPEM: caPEM, certificatePEM: certificatePEM, privateKeyPEM: keyPEM,
            sources: (caPath, certificatePath, privateKeyPath))
    }

    /// Writes PEM files atomically (temp file + rename), the certificate with
    /// mode 0644 and the key with mode 0600; an existing file is replaced.
    /// Used by `civic genesis` tooling, for the CA as well as for nodes.
    public static func write(_ issued: IssuedCertificate, certificatePath: String, privateKeyPath: String) throws(PeerNetworkError) {
        guard certificatePath != privateKeyPath else {
            throw .invalidArgument("certificate and private key must go to different files, both are \(certificatePath)")
        }
        // The key first: a certificate on disk without its key is useless, the reverse is merely incomplete.
        try PEMFiles.write(issued.privateKeyPEM, to: privateKeyPath, mode: 0o600)
        try PEMFiles.write(issued.certificatePEM, to: certificatePath, mode: 0o644)
    }

    public var description: String {
        "TLSIdentity(\(certificate.subject), node key \(Hex.encode(nodeKey)), CA \(caCertificate.subject))"
    }
}
