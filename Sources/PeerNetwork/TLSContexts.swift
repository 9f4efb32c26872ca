import NIOSSL

/// The two BoringSSL contexts a node uses, built once from its identity.
///
/// TLS 1.3 only; the trust roots are exactly the cluster CA (never the system
/// store); both sides must present a certificate that chains to it.
///
/// Verification is `.noHostnameVerification` on both sides: a peer is who its
/// certificate's genesis key binding says, checked by `PeerAuthenticator`
/// against the genesis peer list, which is stronger than matching the address
/// we dialed against IP SANs, and keeps working when a node is reached through
/// NAT, a DNS name or a changed address. The server side has no hostname to
/// check anyway.
struct TLSContexts: Sendable {
    let server: NIOSSLContext
    let client: NIOSSLContext

    init(identity: TLSIdentity) throws(PeerNetworkError) {
        var server = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: [.certificate(identity.sslCertificate)],
            privateKey: .privateKey(identity.sslPrivateKey),
            trustRoots: .certificates([identity.sslCACertificate]))
        Self.harden(&server)

        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = [.certificate(identity.sslCertificate)]
        client.privateKey = .privateKey(identity.sslPrivateKey)
        client.trustRoots = .certificates([identity.sslCACertificate])
        Self.harden(&client)

        do {
            self.server = try NIOSSLContext(configuration: server)
            self.client = try NIOSSLContext(configuration: client)
        } catch {
            throw .tlsSetup(String(describing: error))
        }
    }

    private static func harden(_ configuration: inout TLSConfiguration) {
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        // .noHostnameVerification requires a peer certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
        configuration.certificateVerification = .noHostnameVerification
        configuration.additionalTrustRoots = []
        configuration.renegotiationSupport = .none
    }
}
