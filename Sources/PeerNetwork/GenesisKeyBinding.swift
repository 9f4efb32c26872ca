import SwiftASN1
import X509

/// The non-critical X.509 extension that binds a TLS certificate to a genesis
/// node key: OID `2.25.1258007783340018759`, value an OCTET STRING holding the
/// key's SEC1 bytes exactly as genesis lists them.
///
/// The arc sits under the UUID arc 2.25 (X.667) but is a 61-bit random number,
/// not a full 128-bit UUID: swift-asn1 refuses OID arcs wider than 63 bits, so a
/// certificate carrying a true UUID arc could not even be parsed by
/// swift-certificates. The OID only has to be unique among the extensions of
/// certificates our own cluster CA issues, which 61 random bits easily are.
///
/// Non-critical so that ordinary tools (openssl, browsers' viewers) still accept
/// the certificate; our peers never trust a certificate without it.
public enum GenesisKeyBinding {
    public static let oid: ASN1ObjectIdentifier = [2, 25, 1_258_007_783_340_018_759]

    /// SEC1 points of 256-bit curves are 33 (compressed) or 65 (uncompressed) bytes.
    static let allowedKeySizes: Set<Int> = [33, 65]

    /// The bound key, or nil when the extension is absent, not a DER OCTET
    /// STRING, or not 33/65 bytes long. Never throws: this runs on certificates
    /// that strangers present.
    public static func nodeKey(in certificate: Certificate) -> [UInt8]? {
        guard let bound = certificate.extensions[oid: oid] else { return nil }
        guard let octets = try? ASN1OctetString(derEncoded: bound.value) else { return nil }
        guard allowedKeySizes.contains(octets.bytes.count) else { return nil }
        return Array(octets.bytes)
    }

    static func makeExtension(binding key: [UInt8]) throws -> Certificate.Extension {
        var serializer = DER.Serializer()
        try serializer.serialize(ASN1OctetString(contentBytes: key[...]))
        return Certificate.Extension(oid: oid, critical: false, value: serializer.serializedBytes[...])
    }
}
