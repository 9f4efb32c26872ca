import LedgerCore
import SwiftASN1

/// Proof that a key maps to a value, or is absent, under a state root.
///
/// The path of the key ends, at depth `siblings.count`, in either a leaf or
/// an empty subtree. `leaf` is that leaf: the key's own (inclusion) or
/// another key's that occupies the position (non-inclusion); nil means the
/// subtree is empty (non-inclusion). `siblings[i]` is the hash of the
/// sibling of the path's node at depth `i + 1`, from the root down.
///
/// ```
/// StateProof ::= SEQUENCE {
///   version   INTEGER (1),
///   leaf      [0] IMPLICIT StateLeaf OPTIONAL,
///   depth     INTEGER (0..256),                -- the number of siblings
///   present   OCTET STRING,                    -- ceil(depth/8) bytes; bit i (MSB first) set: sibling i is listed
///   siblings  SEQUENCE (SIZE (0..256)) OF OCTET STRING (SIZE (32))
/// }
/// ```
/// Siblings equal to the placeholder are left out of `siblings` and marked by
/// a clear bit; a listed sibling equal to the placeholder, a set bit past
/// `depth`, or a count that differs from the set bits is refused, so every
/// proof has exactly one encoding.
public struct StateProof: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    /// A leaf sits at depth 256 at most, below 256 siblings.
    public static let maxSiblings = NodePosition.maxDepth
    /// The encoding with a leaf and 256 listed siblings: SEQUENCE header 4,
    /// version 3, leaf 70, depth 4, bitmap 34, sibling list 4 + 256 * 34.
    public static let maxEncodedSize = 4 + 3 + 70 + 4 + 34 + 4 + maxSiblings * 34
    /// SEQUENCE, version, leaf and its two fields, depth, bitmap, the list and its items.
    public static let maxNodeCount = 8 + maxSiblings

    static let leafTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)

    public let leaf: StateLeaf?
    public let siblings: [Digest]

    /// Refuses more than `maxSiblings` siblings.
    public init(leaf: StateLeaf?, siblings: [Digest]) throws(CanonicalError) {
        guard siblings.count <= Self.maxSiblings else {
            throw .invalidField(
                type: "StateProof", field: "siblings", reason: "\(siblings.count) siblings, over the limit of \(Self.maxSiblings)")
        }
        self.init(validatedLeaf: leaf, siblings: siblings)
    }

    init(validatedLeaf leaf: StateLeaf?, siblings: [Digest]) {
        self.leaf = leaf
        self.siblings = siblings
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard Self.supportedVersions.contains(version) else {
                throw CanonicalError.unsupportedVersion(type: "StateProof", found: version, supported: Self.supportedVersions)
            }
            let leaf = try DER.optionalImplicitlyTagged(&nodes, tag: Self.leafTag) as StateLeaf?
            let depth = try Int(derEncoded: &nodes)
            guard (0...Self.maxSiblings).contains(depth) else {
                throw ProofFields.violation("depth", "\(depth) is outside 0...\(Self.maxSiblings)")
            }
            let present = try ASN1OctetString(derEncoded: &nodes).bytes
            guard present.count == (depth + 7) / 8 else {
                throw ProofFields.violation("present", "\(present.count) bytes for depth \(depth), expected \((depth + 7) / 8)")
            }
            guard let listNode = nodes.next() else { throw ProofFields.violation("siblings", "missing") }
            let listed = try DER.sequence(listNode, identifier: .sequence) { items in
                var out: [Digest] = []
                while let item = items.next() {
                    guard out.count < depth else { throw ProofFields.violation("siblings", "more than the \(depth) the depth allows") }
                    let digest = try ProofFields.readDigest(item, field: "siblings")
                    guard digest != TreeHashing.placeholder else {
                        throw ProofFields.violation("siblings", "a listed sibling is the placeholder, which is marked by a clear bit instead")
                    }
                    out.append(digest)
                }
                return out
            }
            return try StateProof(validatedLeaf: leaf, siblings: Self.expand(present: Array(present), depth: depth, listed: listed))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        var present = [UInt8](repeating: 0, count: (siblings.count + 7) / 8)
        for (index, sibling) in siblings.enumerated() where sibling != TreeHashing.placeholder {
            present[index / 8] |= 0x80 >> UInt8(index % 8)
        }
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(Self.supportedVersions[0])
            try coder.serializeOptionalImplicitlyTagged(leaf, withIdentifier: Self.leafTag)
            try coder.serialize(siblings.count)
            try coder.serialize(ASN1OctetString(contentBytes: present[...]))
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for sibling in siblings where sibling != TreeHashing.placeholder {
                    try coder.serialize(ASN1OctetString(contentBytes: sibling.bytes[...]))
                }
            }
        }
    }

    /// The full sibling list from the bitmap and the listed (non-placeholder) siblings.
    private static func expand(present: [UInt8], depth: Int, listed: [Digest]) throws(CanonicalError) -> [Digest] {
        var siblings: [Digest] = []
        siblings.reserveCapacity(depth)
        var next = 0
        for index in 0..<(present.count * 8) {
            let isSet = present[index / 8] & (0x80 >> UInt8(index % 8)) != 0
            guard index < depth else {
                guard !isSet else { throw ProofFields.violation("present", "bit \(index) is set, past depth \(depth)") }
                continue
            }
            if isSet {
                guard next < listed.count else {
                    throw ProofFields.violation("siblings", "fewer listed than bits set in present")
                }
                siblings.append(listed[next])
                next += 1
            } else {
                siblings.append(TreeHashing.placeholder)
            }
        }
        guard next == listed.count else { throw ProofFields.violation("siblings", "more listed than bits set in present") }
        return siblings
    }
}

/// Field rules for the proof's DER, reported as `CanonicalError` so that
/// `Canonical.decode` passes them on with the field named.
enum ProofFields {
    static func violation(_ field: String, _ reason: String) -> CanonicalError {
        .invalidField(type: "StateProof", field: field, reason: reason)
    }

    static func readDigest(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Digest {
        guard let node = nodes.next() else { throw violation(field, "missing") }
        return try readDigest(node, field: field)
    }

    static func readDigest(_ node: ASN1Node, field: String) throws -> Digest {
        let octets = try ASN1OctetString(derEncoded: node)
        guard let digest = Digest(octets.bytes) else {
            throw violation(field, "\(octets.bytes.count) bytes, expected \(Digest.byteCount)")
        }
        return digest
    }
}
