import LedgerCore
import SwiftASN1

/// The unit of agreement: opaque requests in the order the primary chose, the
/// primary's time, and which replica proposed it. The node turns a committed
/// batch into a ledger block and uses `timestamp` as the block time and
/// `proposer` as the block's proposer: both are agreed data, so every replica
/// derives the same header even when the batch committed in a later view
/// than the one it was proposed in.
///
/// ```
/// Batch ::= SEQUENCE {
///   version    INTEGER (1),
///   timestamp  INTEGER (0..2^64-1),   -- primary's millis; 0 in a null batch
///   proposer   INTEGER (0..15),       -- the primary that built it; 0 in a null batch
///   requests   SEQUENCE (SIZE (0..1024)) OF OCTET STRING (SIZE (1..65536))
/// }
/// ```
/// A batch without requests is the null batch that fills a gap after a view
/// change; it has exactly one encoding (timestamp 0, proposer 0), so every
/// replica derives the same digest for it. The proposer is as the primary
/// states it; nothing rests on it but the block header's `proposer` field.
public struct Batch: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxEncodedSize = ConsensusLimits.maxBatchBytes + 16 * ConsensusLimits.maxBatchRequests + 64
    public static let maxNodeCount = 5 + ConsensusLimits.maxBatchRequests
    public static let null = Batch(unchecked: 0, proposer: ReplicaID(0), [])

    public let timestamp: Millis
    public let proposer: ReplicaID
    public let requests: [[UInt8]]

    public init(timestamp: Millis, proposer: ReplicaID = ReplicaID(0), requests: [[UInt8]]) throws(CanonicalError) {
        guard (0..<ConsensusLimits.maxReplicas).contains(proposer.index) else {
            throw .invalidField(type: "Batch", field: "proposer", reason: "\(proposer.index) is not a replica index")
        }
        guard !requests.isEmpty || proposer.index == 0 else {
            throw .invalidField(type: "Batch", field: "proposer", reason: "a null batch has proposer 0")
        }
        guard requests.count <= ConsensusLimits.maxBatchRequests else {
            throw .invalidField(type: "Batch", field: "requests", reason: "\(requests.count) requests, over \(ConsensusLimits.maxBatchRequests)")
        }
        guard requests.allSatisfy({ (1...ConsensusLimits.maxRequestBytes).contains($0.count) }) else {
            throw .invalidField(type: "Batch", field: "requests", reason: "a request is empty or over \(ConsensusLimits.maxRequestBytes) bytes")
        }
        guard !requests.isEmpty || timestamp == 0 else {
            throw .invalidField(type: "Batch", field: "timestamp", reason: "a null batch has timestamp 0")
        }
        let total = requests.reduce(0) { $0 + $1.count }
        guard total <= ConsensusLimits.maxBatchBytes else {
            throw .invalidField(type: "Batch", field: "requests", reason: "\(total) request bytes, over \(ConsensusLimits.maxBatchBytes)")
        }
        self.init(unchecked: timestamp, proposer: proposer, requests)
    }

    private init(unchecked timestamp: Millis, proposer: ReplicaID, _ requests: [[UInt8]]) {
        self.timestamp = timestamp
        self.proposer = proposer
        self.requests = requests
    }

    public var isNull: Bool { requests.isEmpty }
    public var requestBytes: Int { requests.reduce(0) { $0 + $1.count } }

    public func digest(using hash: some DigestFunction) -> Digest {
        hash.digest(Canonical.encode(self))
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            try DERInteger.readVersion(&nodes, supported: Self.supportedVersions)
            let timestamp = try DERInteger.read(&nodes, field: "timestamp")
            let proposer = try DERInteger.read(&nodes, field: "proposer")
            guard proposer < UInt64(ConsensusLimits.maxReplicas) else {
                throw FieldViolation(field: "proposer", reason: "\(proposer) is not a replica index")
            }
            let requests = try DERFields.readSequence(
                &nodes, field: "requests", maxCount: ConsensusLimits.maxBatchRequests
            ) { node in
                let octets = try ASN1OctetString(derEncoded: node)
                guard (1...ConsensusLimits.maxRequestBytes).contains(octets.bytes.count) else {
                    throw FieldViolation(field: "requests", reason: "request of \(octets.bytes.count) bytes")
                }
                return Array(octets.bytes)
            }
            return try Batch(timestamp: timestamp, proposer: ReplicaID(Int(proposer)), requests: requests)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: a batch is up to megabytes (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            DERInteger.write(1, into: &coder)
            DERInteger.write(timestamp, into: &coder)
            DERInteger.write(UInt64(proposer.index), into: &coder)
            try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                for request in requests {
                    try DERFields.writeOctets(request, into: &coder)
                }
            }
        }
    }
}
