import LedgerCore
import SwiftASN1

/// A key-value pair as the tree holds it: the hash of the key, which is also
/// its path from the root, and the hash of the value.
///
/// ```
/// StateLeaf ::= SEQUENCE {
///   keyHash    OCTET STRING (SIZE (32)),
///   valueHash  OCTET STRING (SIZE (32))
/// }
/// ```
public struct StateLeaf: Hashable, Sendable, DERImplicitlyTaggable {
    public let keyHash: Digest
    public let valueHash: Digest

    public init(keyHash: Digest, valueHash: Digest) {
        self.keyHash = keyHash
        self.valueHash = valueHash
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let keyHash = try ProofFields.readDigest(&nodes, field: "leaf.keyHash")
            let valueHash = try ProofFields.readDigest(&nodes, field: "leaf.valueHash")
            return StateLeaf(keyHash: keyHash, valueHash: valueHash)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: keyHash.bytes[...]))
            try coder.serialize(ASN1OctetString(contentBytes: valueHash.bytes[...]))
        }
    }
}
