import LedgerCore
import SwiftASN1

/// The unit of agreement: opaque requests in the order the primary chose, and
/// the primary's time. The node turns a committed batch into a ledger block and
/// uses `timestamp` as the block time.
///
/// ```
/// Batch ::= SEQUENCE {
///   version    INTEGER (1),
///   timestamp  INTEGER (0..2^64-1),   -- primary's millis; 0 in a null batch
///   requests   SEQUENCE (SIZE (0..1024)) OF OCTET STRING (SIZE (1..65536))
/// }
/// ```
/// A batch without requests is the null batch that fills a gap after a view
/// change; it has exactly one encoding (timestamp 0), so every replica derives
/// the same digest for it.
public struct Batch: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxEncodedSize = ConsensusLimits.maxBatchBytes + 16 * ConsensusLimits.maxBatchRequests + 64
    public static let maxNodeCount = 4 + ConsensusLimits.maxBatchRequests
    public static let null = Batch(unchecked: 0, [])

    public let timestamp: Millis
    public let requests: [[UInt8]]

    public init(timestamp: Millis, requests: [[UInt8]]) throws(CanonicalError) {
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
        self.init(unchecked: timestamp, requests)
    }

    private init(unchecked timestamp: Millis, _ requests: [[UInt8]]) {
        self.timestamp = timestamp
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
            let requests = try DERFields.readSequence(
                &nodes, field: "requests", maxCount: ConsensusLimits.maxBatchRequests
            ) { node in
                let octets = try ASN1OctetString(derEncoded: node)
                guard (1...ConsensusLimits.maxRequestBytes).contains(octets.bytes.count) else {
                    throw FieldViolation(field: "requests", reason: "request of \(octets.bytes.count) bytes")
                }
                return Array(octets.bytes)
            }
            return try Batch(timestamp: timestamp, requests: requests)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            DERInteger.write(1, into: &coder)
            DERInteger.write(timestamp, into: &coder)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for request in requests {
                    try DERFields.writeOctets(request, into: &coder)
                }
            }
        }
    }
}
