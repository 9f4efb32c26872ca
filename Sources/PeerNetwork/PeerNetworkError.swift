/// Everything the PeerNetwork API can throw, each with a sentence an operator can act on.
///
/// Problems on a live connection (a refused handshake, a malformed frame) are not
/// thrown: they close that one connection, are counted in `PeerNetworkStatistics`
/// and logged, because no caller could do anything with them.
public enum PeerNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An argument to a certificate or configuration function is out of range.
    case invalidArgument(String)
    /// A host for a certificate SAN is neither an IP address nor a DNS name.
    case invalidHost(String)
    /// The genesis node key is not a SEC1 point on secp256k1 or SM2.
    case invalidGenesisKey(String)
    /// `what` ("cluster CA certificate", a file path, ...) is not a usable PEM certificate.
    case invalidCertificate(what: String, reason: String)
    /// `what` is not a usable PEM private key (P-256, PKCS#8 or SEC1).
    case invalidPrivateKey(what: String, reason: String)
    /// The private key is not the one the certificate was issued for.
    case keyDoesNotMatchCertificate(what: String)
    /// The certificate given as the cluster CA cannot sign certificates.
    case notACertificateAuthority(what: String)
    /// The node certificate was not signed by the cluster CA it is loaded with.
    case notIssuedByClusterCA
    /// The node certificate carries no genesis key binding extension.
    case missingGenesisKeyBinding
    /// A file could not be read or written; `problem` says why.
    case file(path: String, problem: String)
    /// The private key file can be read by group or others (mode in octal).
    case keyFilePermissionsTooOpen(path: String, mode: UInt32)
    /// The configuration is inconsistent; the text names the field.
    case invalidConfiguration(String)
    /// BoringSSL refused to build a TLS context from the identity.
    case tlsSetup(String)
    /// The listener could not be bound.
    case bindFailed(host: String, port: Int, reason: String)
    /// `start()` was called twice.
    case alreadyStarted
    /// `start()` was called after `shutdown()`.
    case shutDown
    /// swift-certificates failed to build or encode a certificate.
    case certificateEncoding(String)

    public var description: String {
        switch self {
        case let .invalidArgument(text):
            return "invalid argument: \(text)"
        case let .invalidHost(host):
            return "host \"\(host)\" is neither an IPv4/IPv6 address nor a DNS name"
        case let .invalidGenesisKey(reason):
            return "invalid genesis node key: \(reason)"
        case let .invalidCertificate(what, reason):
            return "\(what): not a usable certificate: \(reason)"
        case let .invalidPrivateKey(what, reason):
            return "\(what): not a usable P-256 private key: \(reason)"
        case let .keyDoesNotMatchCertificate(what):
            return "\(what): the private key does not belong to the certificate"
        case let .notACertificateAuthority(what):
            return "\(what): not a CA certificate (needs basicConstraints CA:true and keyCertSign)"
        case .notIssuedByClusterCA:
            return "the node certificate was not issued by the given cluster CA"
        case .missingGenesisKeyBinding:
            return "the node certificate does not carry the genesis key binding extension (\(GenesisKeyBinding.oid))"
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .keyFilePermissionsTooOpen(path, mode):
            return "key file \(path): permissions 0\(String(mode, radix: 8)) are too open (group or others have access); run: chmod 600 \(path)"
        case let .invalidConfiguration(text):
            return "invalid peer network configuration: \(text)"
        case let .tlsSetup(reason):
            return "cannot set up TLS: \(reason)"
        case let .bindFailed(host, port, reason):
            return "cannot listen on \(host):\(port): \(reason)"
        case .alreadyStarted:
            return "the peer network is already started"
        case .shutDown:
            return "the peer network has been shut down and cannot be started again"
        case let .certificateEncoding(reason):
            return "cannot build the certificate: \(reason)"
        }
    }
}
