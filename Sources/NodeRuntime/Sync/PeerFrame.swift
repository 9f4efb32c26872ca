import Consensus
import LedgerCore
import SwiftASN1

/// What one node sends another over the peer link.
///
/// ```
/// PeerFrame ::= SEQUENCE {
///   version INTEGER (1),
///   kind    INTEGER (0..4),
///   -- kind 0: consensus   OCTET STRING   -- a ConsensusMessage, verified by the replica
///   -- kind 1: blocks request   from INTEGER, through INTEGER
///   -- kind 2: blocks response  SEQUENCE (SIZE (0..16)) OF ArchivedBlock
///   -- kind 3: relayed requests SEQUENCE (SIZE (1..512)) OF OCTET STRING  -- client transactions
///   -- kind 4: attestation  Signed{BlockAttestation}  -- the sender's, of a block it executed
/// }
/// ```
public enum PeerFrame: CanonicalCodable, Hashable {
    case consensus([UInt8])
    /// Archived blocks `from...through` (the answer may stop early).
    case blocksRequest(from: UInt64, through: UInt64)
    case blocksResponse([ArchivedBlock])
    /// Client transactions that have waited too long at the node that admitted
    /// them, relayed to every replica (PBFT's client retransmission): if the
    /// primary is withholding or gone, every backup now has them queued, times
    /// out, and joins the view change. Many in one frame, so a backlog costs a
    /// peer a few frames, not one per transaction.
    case requests([[UInt8]])
    /// The sender's signed statement of the block hash and state root it
    /// reached at a height; 2f+1 matching ones certify that state for clients.
    case attestation(SignedAttestation)

    public static let supportedVersions = [1]
    /// With one response per `NodeDriver.serveIntervalMillis` and requests paced
    /// at twice that, this sets how fast a wiped node replays a chain of small
    /// blocks (16 gave ~155 blocks/s: a long chaos campaign's node wiped at height
    /// ~14,000 was not back within 90 s). Big blocks stop at `responseByteBudget`
    /// first; the node bound below stays that of a window of batches.
    public static let maxBlocksPerResponse = 64
    public static let maxRelayedRequests = 512
    /// A response stops adding blocks past this many encoded bytes (it always holds at least one).
    public static let responseByteBudget = 8 << 20
    public static let maxEncodedSize = max(ConsensusMessage.maxEncodedSize, responseByteBudget + ArchivedBlock.maxEncodedSize) + 64
    public static let maxNodeCount = max(ConsensusMessage.maxNodeCount + 4, maxBlocksPerResponse * ArchivedBlock.maxNodeCount + 4)

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            let kind = try DERFields.readUInt64(&nodes, field: "kind")
            switch kind {
            case 0:
                return .consensus(try DERFields.readOctets(&nodes, field: "consensus", count: 1...ConsensusMessage.maxEncodedSize))
            case 1:
                let from = try DERFields.readUInt64(&nodes, field: "from")
                let through = try DERFields.readUInt64(&nodes, field: "through")
                guard from >= 1, from <= through else { throw FieldViolation(field: "from", reason: "not in 1...through") }
                return .blocksRequest(from: from, through: through)
            case 2:
                guard let list = nodes.next() else { throw FieldViolation(field: "blocks", reason: "missing") }
                let blocks = try DER.sequence(list, identifier: .sequence) { items in
                    var out: [ArchivedBlock] = []
                    while let item = items.next() {
                        guard out.count < Self.maxBlocksPerResponse else {
                            throw FieldViolation(field: "blocks", reason: "more than \(Self.maxBlocksPerResponse)")
                        }
                        out.append(try ArchivedBlock(derEncoded: item))
                    }
                    return out
                }
                return .blocksResponse(blocks)
            case 3:
                let requests = try DERFields.readSequence(&nodes, field: "requests", maxCount: Self.maxRelayedRequests) { node in
                    let octets = try ASN1OctetString(derEncoded: node)
                    guard (1...ConsensusLimits.maxRequestBytes).contains(octets.bytes.count) else {
                        throw FieldViolation(field: "requests", reason: "request of \(octets.bytes.count) bytes")
                    }
                    return Array(octets.bytes)
                }
                guard !requests.isEmpty else { throw FieldViolation(field: "requests", reason: "empty") }
                return .requests(requests)
            case 4:
                return .attestation(try SignedAttestation(derEncoded: &nodes))
            default:
                throw FieldViolation(field: "kind", reason: "unknown kind \(kind)")
            }
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: frames carry messages, blocks and request lists (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            switch self {
            case let .consensus(bytes):
                try coder.serialize(UInt64(0))
                try DERFields.writeOctets(bytes, into: &coder)
            case let .blocksRequest(from, through):
                try coder.serialize(UInt64(1))
                try coder.serialize(from)
                try coder.serialize(through)
            case let .blocksResponse(blocks):
                try coder.serialize(UInt64(2))
                try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                    for block in blocks { try coder.serialize(block) }
                }
            case let .attestation(attestation):
                try coder.serialize(UInt64(4))
                try coder.serialize(attestation)
            case let .requests(list):
                try coder.serialize(UInt64(3))
                try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                    for bytes in list { try DERFields.writeOctets(bytes, into: &coder) }
                }
            }
        }
    }
}
