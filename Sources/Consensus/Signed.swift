import LedgerCore
import SwiftASN1

/// A statement that one replica signs; `signer` is inside the signed bytes, so a
/// signature can never be re-attributed.
public protocol SignedContent: CanonicalCodable, Hashable {
    var signer: ReplicaID { get }
    /// What the signature is for; consensus messages by default.
    static var signingDomain: SigningDomain { get }
}

extension SignedContent {
    public static var signingDomain: SigningDomain { .consensus }
}

/// A statement and its signer's signature over
/// `Content.signingDomain.message(for: clusterID ‖ DER(content))`.
///
/// ```
/// Signed ::= SEQUENCE { content <Content>, signature OCTET STRING (SIZE (1..128)) }
/// ```
/// The cluster id (32 bytes, fixed length, so the concatenation is unambiguous)
/// keeps a vote of one chain from counting on another.
public struct Signed<Content: SignedContent>: CanonicalCodable, Hashable {
    public static var maxEncodedSize: Int { Content.maxEncodedSize + ConsensusLimits.maxSignatureBytes + 16 }
    public static var maxNodeCount: Int { Content.maxNodeCount + 2 }

    public let content: Content
    public let signature: [UInt8]
    /// DER of `content` as received or as signed, so verifying does not encode
    /// it again. Canonical decoding guarantees these are the bytes
    /// `Canonical.encode(content)` gives; not part of equality.
    let contentBytes: [UInt8]?

    public init(content: Content, signature: [UInt8]) {
        self.init(content: content, signature: signature, contentBytes: nil)
    }

    init(content: Content, signature: [UInt8], contentBytes: [UInt8]?) {
        self.content = content
        self.signature = signature
        self.contentBytes = contentBytes
    }

    public var signer: ReplicaID { content.signer }

    public static func signingMessage(for content: Content, cluster: Digest) -> [UInt8] {
        signingMessage(forEncoded: Canonical.encode(content), cluster: cluster)
    }

    static func signingMessage(forEncoded content: [UInt8], cluster: Digest) -> [UInt8] {
        Content.signingDomain.message(for: cluster.bytes + content)
    }

    /// `content` signed by `signer` for `cluster`.
    public static func signing(_ content: Content, with signer: any MessageSigner, cluster: Digest) -> Signed {
        let bytes = Canonical.encode(content)
        return Signed(content: content, signature: signer.sign(signingMessage(forEncoded: bytes, cluster: cluster)), contentBytes: bytes)
    }

    /// The bytes this signature must cover.
    public func signingMessage(cluster: Digest) -> [UInt8] {
        Self.signingMessage(forEncoded: contentBytes ?? Canonical.encode(content), cluster: cluster)
    }

    public static func == (lhs: Signed, rhs: Signed) -> Bool {
        lhs.content == rhs.content && lhs.signature == rhs.signature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(content)
        hasher.combine(signature)
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            guard let node = nodes.next() else { throw FieldViolation(field: "content", reason: "missing") }
            let content = try Content(derEncoded: node)
            let signature = try DERFields.readOctets(&nodes, field: "signature", count: 1...ConsensusLimits.maxSignatureBytes)
            return Signed(content: content, signature: signature, contentBytes: Array(node.encodedBytes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: a signed VIEW-CHANGE or NEW-VIEW is large (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            try coder.serialize(content)
            try DERFields.writeOctets(signature, into: &coder)
        }
    }
}

public typealias SignedVote = Signed<Vote>
