import Crypto
import Foundation
import LedgerCrypto
import SwiftASN1
import X509

/// The cluster CA created at genesis and the node certificates it signs.
///
/// All keys are P-256 (swift-crypto): genesis node keys are secp256k1 or SM2,
/// which TLS cannot use, so a node certificate carries its node's genesis key in
/// the `GenesisKeyBinding` extension and peers match on that.
public enum ClusterCA {
    /// A hundred years: anything longer is a typo.
    static let maxValidityDays = 36_500
    static let maxNameBytes = 256
    static let maxHosts = 64

    /// A new self-signed cluster CA (P-256, basicConstraints CA:true, keyCertSign).
    ///
    /// pathLenConstraint 0: the CA signs node certificates only, never another CA.
    public static func create(commonName: String, notBefore: Date, validityDays: Int) throws(PeerNetworkError) -> IssuedCertificate {
        try checkName(commonName, field: "commonName")
        let notAfter = try validityEnd(notBefore: notBefore, validityDays: validityDays)
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let name = try DistinguishedName { CommonName(commonName) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(key))
            return try issued(certificate, key: key)
        } catch let error as PeerNetworkError {
            throw error
        } catch {
            throw .certificateEncoding(String(describing: error))
        }
    }

    /// A node certificate signed by `ca`, for TLS server and client auth, with
    /// SANs for `hosts` (IP addresses and DNS names), carrying the node's
    /// genesis public key in the binding extension.
    ///
    /// The node certificate must lie within the CA's validity: one that outlives
    /// its CA would stop working on a date nobody chose.
    public static func issueNodeCertificate(
        ca: IssuedCertificate, nodeName: String, genesisNodeKey: [UInt8],
        hosts: [String], notBefore: Date, validityDays: Int
    ) throws(PeerNetworkError) -> IssuedCertificate {
        let caCertificate = try PEMParsing.certificate(ca.certificatePEM, what: "cluster CA certificate")
        let caKey = try PEMParsing.privateKey(ca.privateKeyPEM, what: "cluster CA private key")
        guard caKey.publicKey == caCertificate.publicKey else {
            throw .keyDoesNotMatchCertificate(what: "cluster CA")
        }
        guard caCertificate.isCertificateAuthority else {
            throw .notACertificateAuthority(what: "cluster CA certificate")
        }
        try checkName(nodeName, field: "nodeName")
        try checkGenesisKey(genesisNodeKey)
        let altNames = try subjectAltNames(hosts)
        let notAfter = try validityEnd(notBefore: notBefore, validityDays: validityDays)
        guard notBefore >= caCertificate.notValidBefore, notAfter <= caCertificate.notValidAfter else {
            throw .invalidArgument(
                "the node certificate (\(notBefore) to \(notAfter)) must lie within the cluster CA's validity "
                    + "(\(caCertificate.notValidBefore) to \(caCertificate.notValidAfter))")
        }

        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let subject = try DistinguishedName { CommonName(nodeName) }
            let authorityKeyID = try caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(altNames)
                SubjectKeyIdentifier(hash: publicKey)
                if let authorityKeyID {
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
                }
                try GenesisKeyBinding.makeExtension(binding: genesisNodeKey)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: caCertificate.subject, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: caKey)
            return try issued(certificate, key: key)
        } catch let error as PeerNetworkError {
            throw error
        } catch {
            throw .certificateEncoding(String(describing: error))
        }
    }

    private static func issued(_ certificate: Certificate, key: P256.Signing.PrivateKey) throws -> IssuedCertificate {
        IssuedCertificate(
            certificatePEM: withFinalNewline(try certificate.serializeAsPEM().pemString),
            privateKeyPEM: withFinalNewline(key.pemRepresentation))
    }

    private static func withFinalNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }

    private static func checkName(_ name: String, field: String) throws(PeerNetworkError) {
        guard !name.isEmpty, name.utf8.count <= maxNameBytes else {
            throw .invalidArgument("\(field) must be 1 to \(maxNameBytes) bytes, got \(name.utf8.count)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument("\(field) must not contain control characters")
        }
    }

    static func validityEnd(notBefore: Date, validityDays: Int) throws(PeerNetworkError) -> Date {
        guard (1...maxValidityDays).contains(validityDays) else {
            throw .invalidArgument("validityDays must be 1 to \(maxValidityDays), got \(validityDays)")
        }
        return notBefore.addingTimeInterval(TimeInterval(validityDays) * 86_400)
    }

    /// A binding to garbage would produce a certificate no peer list can ever
    /// match, found only when the cluster fails to connect; refuse it here.
    static func checkGenesisKey(_ key: [UInt8]) throws(PeerNetworkError) {
        guard GenesisKeyBinding.allowedKeySizes.contains(key.count) else {
            throw .invalidGenesisKey("\(key.count) bytes; a SEC1 public key is 33 (compressed) or 65 (uncompressed) bytes")
        }
        let onSomeCurve = SuiteID.allCases.contains { suite in
            (try? CryptoSuites.suite(suite).publicKey(sec1: key)) != nil
        }
        guard onSomeCurve else {
            throw .invalidGenesisKey("not a point on secp256k1 (standard suite) or SM2 (guomi suite)")
        }
    }

    private static func subjectAltNames(_ hosts: [String]) throws(PeerNetworkError) -> [GeneralName] {
        guard !hosts.isEmpty, hosts.count <= maxHosts else {
            throw .invalidArgument("hosts must list 1 to \(maxHosts) addresses or names, got \(hosts.count)")
        }
        var names: [GeneralName] = []
        for host in hosts {
            let name = try HostNames.subjectAltName(for: host)
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}
