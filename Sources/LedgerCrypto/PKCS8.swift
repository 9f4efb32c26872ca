import SwiftASN1

/// The key-file payload: PKCS#8 `PrivateKeyInfo` (RFC 5208) around a SEC1
/// `ECPrivateKey` (RFC 5915), with the curve OID naming the suite. It is the form
/// `openssl genpkey` writes, so `openssl pkey` can read our keys and we can read its.
///
/// ```
/// PrivateKeyInfo ::= SEQUENCE {
///   version     INTEGER (0),
///   algorithm   SEQUENCE { id-ecPublicKey, namedCurve OBJECT IDENTIFIER },
///   privateKey  OCTET STRING  -- ECPrivateKey
/// }
/// ECPrivateKey ::= SEQUENCE {
///   version     INTEGER (1),
///   privateKey  OCTET STRING (SIZE (32)),
///   parameters  [0] EXPLICIT OBJECT IDENTIFIER OPTIONAL,  -- must match the curve when present
///   publicKey   [1] EXPLICIT BIT STRING OPTIONAL          -- checked against the scalar when present
/// }
/// ```
struct PKCS8ECKey {
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]

    var curve: ASN1ObjectIdentifier
    var scalar: [UInt8]
    var publicPoint: [UInt8]?

    static func parse(der: [UInt8]) throws -> PKCS8ECKey {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard version == 0 else { throw KeyFormatError("PKCS#8 version \(version) is not supported") }
            let (algorithm, curve) = try DER.sequence(of: ASN1ObjectIdentifier.self, identifier: .sequence, nodes: &nodes)
                .twoElements()
            guard algorithm == ecPublicKey else { throw KeyFormatError("not an elliptic-curve key (algorithm \(algorithm))") }
            let inner = try ASN1OctetString(derEncoded: &nodes)
            var key = try parseECPrivateKey(Array(inner.bytes))
            if let parameters = key.curve, parameters != curve {
                throw KeyFormatError("curve in ECPrivateKey differs from the PKCS#8 algorithm")
            }
            key.curve = curve
            return PKCS8ECKey(curve: curve, scalar: key.scalar, publicPoint: key.publicPoint)
        }
    }

    private static func parseECPrivateKey(
        _ der: [UInt8]
    ) throws -> (curve: ASN1ObjectIdentifier?, scalar: [UInt8], publicPoint: [UInt8]?) {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard version == 1 else { throw KeyFormatError("ECPrivateKey version \(version) is not supported") }
            let scalar = try ASN1OctetString(derEncoded: &nodes)
            guard scalar.bytes.count == 32 else { throw KeyFormatError("private scalar is \(scalar.bytes.count) bytes, expected 32") }
            let curve = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try ASN1ObjectIdentifier(derEncoded: $0)
            }
            let point = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) {
                try ASN1BitString(derEncoded: $0)
            }
            if let point, point.paddingBits != 0 {
                throw KeyFormatError("public key BIT STRING has padding bits")
            }
            return (curve, Array(scalar.bytes), point.map { Array($0.bytes) })
        }
    }

    func serialize() throws -> [UInt8] {
        var inner = DER.Serializer()
        try inner.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(ASN1OctetString(contentBytes: scalar[...]))
            if let publicPoint {
                try coder.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { coder in
                    try coder.serialize(ASN1BitString(bytes: publicPoint[...]))
                }
            }
        }
        var outer = DER.Serializer()
        try outer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(0)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(Self.ecPublicKey)
                try coder.serialize(curve)
            }
            try coder.serialize(ASN1OctetString(contentBytes: inner.serializedBytes[...]))
        }
        return outer.serializedBytes
    }
}

struct KeyFormatError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Array {
    fileprivate func twoElements() throws -> (Element, Element) {
        guard count == 2 else { throw KeyFormatError("algorithm identifier must hold exactly two object identifiers") }
        return (self[0], self[1])
    }
}
