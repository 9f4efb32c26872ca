import Crypto
import Foundation
import LedgerCrypto
import PeerNetwork
import SwiftASN1
import Testing
@_spi(FixedExpiryValidationTime) import X509

@Suite("Cluster CA and node certificates")
struct ClusterCATests {
    let start = certificateStart()

    @Test("The CA is a self-signed P-256 CA that may sign node certificates only")
    func caIsACA() throws {
        let issued = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 3650)
        let ca = try Certificate(pemEncoded: issued.certificatePEM)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(ca.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        let usage = try #require(try ca.extensions.keyUsage)
        #expect(usage.keyCertSign)
        #expect(!usage.digitalSignature)
        #expect(ca.issuer == ca.subject)
        #expect(ca.subject.description.contains("Civic test CA"))
        #expect(ca.publicKey.isValidSignature(ca.signature, for: ca))
        #expect(P256.Signing.PublicKey(ca.publicKey) != nil)
        #expect(ca.notValidBefore == start)
        #expect(ca.notValidAfter == start.addingTimeInterval(3650 * 86_400))
        // The armour is built from the label rather than spelled out, so no test file reads like a key.
        #expect(issued.privateKeyPEM.hasPrefix("-----BEGIN \(KeyFile.pemLabel)-----\n"))
        #expect(!"\(issued)".contains(KeyFile.pemLabel))
    }

    @Test("A node certificate verifies against its CA, and not against another CA")
    func nodeCertificateVerifies() async throws {
        let issued = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 30)
        let other = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 30)
        let node = try ClusterCA.issueNodeCertificate(
            ca: issued, nodeName: "psb-node", genesisNodeKey: try genesisNodeKey(), hosts: ["127.0.0.1"],
            notBefore: start, validityDays: 7)
        let leaf = try Certificate(pemEncoded: node.certificatePEM)
        let validationTime = start.addingTimeInterval(86_400)

        var verifier = Verifier(rootCertificates: CertificateStore([try Certificate(pemEncoded: issued.certificatePEM)])) {
            RFC5280Policy(fixedExpiryValidationTime: validationTime)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
        guard case let .validCertificate(chain) = result else {
            Issue.record("node certificate did not verify: \(result)")
            return
        }
        #expect(chain.count == 2)

        // Same CA name, different key: the chain must not verify.
        var stranger = Verifier(rootCertificates: CertificateStore([try Certificate(pemEncoded: other.certificatePEM)])) {
            RFC5280Policy(fixedExpiryValidationTime: validationTime)
        }
        guard case .couldNotValidate = await stranger.validate(leaf: leaf, intermediates: CertificateStore()) else {
            Issue.record("a node certificate verified against a CA that did not sign it")
            return
        }
    }

    @Test("The binding extension carries the genesis key, secp256k1 or SM2", arguments: SuiteID.allCases)
    func bindingRoundTrips(suite: SuiteID) throws {
        let ca = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 30)
        let key = try genesisNodeKey(suite)
        let node = try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: "node", genesisNodeKey: key, hosts: ["127.0.0.1"], notBefore: start, validityDays: 7)
        let certificate = try Certificate(pemEncoded: node.certificatePEM)
        #expect(GenesisKeyBinding.nodeKey(in: certificate) == key)
        let binding = try #require(certificate.extensions[oid: GenesisKeyBinding.oid])
        #expect(!binding.critical)
        #expect(GenesisKeyBinding.oid.oidComponents.prefix(2) == [2, 25])
        // The CA certificate binds nothing.
        #expect(GenesisKeyBinding.nodeKey(in: try Certificate(pemEncoded: ca.certificatePEM)) == nil)
    }

    @Test("A node certificate is a TLS server and client leaf with its validity and SANs")
    func nodeCertificateFields() throws {
        let ca = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 30)
        let node = try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: "psb-node", genesisNodeKey: try genesisNodeKey(),
            hosts: ["127.0.0.1", "::1", "Node1.Civic.Test"], notBefore: start, validityDays: 7)
        let certificate = try Certificate(pemEncoded: node.certificatePEM)
        let caCertificate = try Certificate(pemEncoded: ca.certificatePEM)

        #expect(certificate.notValidBefore == start)
        #expect(certificate.notValidAfter == start.addingTimeInterval(7 * 86_400))
        #expect(certificate.issuer == caCertificate.subject)
        #expect(certificate.subject.description.contains("psb-node"))
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        let usage = try #require(try certificate.extensions.keyUsage)
        #expect(usage.digitalSignature && !usage.keyCertSign)
        let purposes = try #require(try certificate.extensions.extendedKeyUsage)
        #expect(purposes.contains(.serverAuth) && purposes.contains(.clientAuth))
        #expect(
            try certificate.extensions.authorityKeyIdentifier?.keyIdentifier
                == caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier)

        let names = Array(try #require(try certificate.extensions.subjectAlternativeNames))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [UInt8](repeating: 0, count: 15)[...] + [1]))))
        #expect(names.contains(.dnsName("node1.civic.test")))
        #expect(names.count == 3)
    }

    @Test("Bad arguments are refused with a clear error")
    func refusals() throws {
        let ca = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 30)
        let key = try genesisNodeKey()
        func issue(name: String = "node", key: [UInt8] = key, hosts: [String] = ["127.0.0.1"], days: Int = 7, ca: IssuedCertificate = ca) throws(PeerNetworkError) {
            _ = try ClusterCA.issueNodeCertificate(
                ca: ca, nodeName: name, genesisNodeKey: key, hosts: hosts, notBefore: start, validityDays: days)
        }

        #expect(throws: PeerNetworkError.invalidArgument("validityDays must be 1 to 36500, got 0")) {
            try ClusterCA.create(commonName: "CA", notBefore: start, validityDays: 0)
        }
        #expect(throws: PeerNetworkError.self) { try ClusterCA.create(commonName: "", notBefore: start, validityDays: 1) }
        #expect(throws: PeerNetworkError.invalidHost("bad host")) { try issue(hosts: ["127.0.0.1", "bad host"]) }
        #expect(throws: PeerNetworkError.invalidHost("10.0.0.300")) { try issue(hosts: ["10.0.0.300"]) }
        #expect(throws: PeerNetworkError.self) { try issue(hosts: []) }
        #expect(throws: PeerNetworkError.self) { try issue(name: "") }
        // 33 bytes with a compressed-point prefix, but x = 2^256 - 1 is not on either curve.
        #expect(throws: PeerNetworkError.invalidGenesisKey("not a point on secp256k1 (standard suite) or SM2 (guomi suite)")) {
            try issue(key: [0x02] + [UInt8](repeating: 0xff, count: 32))
        }
        #expect(throws: PeerNetworkError.self) { try issue(key: Array(key.prefix(20))) }
        // Outliving the CA (30 days) is refused.
        #expect(throws: PeerNetworkError.self) { try issue(days: 31) }
        // The CA's key must match its certificate.
        let other = try ClusterCA.create(commonName: "Civic test CA", notBefore: start, validityDays: 30)
        let mixed = IssuedCertificate(certificatePEM: ca.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        #expect(throws: PeerNetworkError.keyDoesNotMatchCertificate(what: "cluster CA")) { try issue(ca: mixed) }
        // A node certificate cannot act as a CA.
        let node = try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: "node", genesisNodeKey: key, hosts: ["127.0.0.1"], notBefore: start, validityDays: 7)
        #expect(throws: PeerNetworkError.notACertificateAuthority(what: "cluster CA certificate")) { try issue(ca: node) }
    }
}
