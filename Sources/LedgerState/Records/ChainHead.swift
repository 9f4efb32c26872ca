import LedgerCore
import SwiftASN1

/// The last applied block: what the next block must extend.
public struct ChainHead: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 200
    public static let maxNodeCount = 6

    public let height: Height
    public let blockHash: Digest
    /// The state root after applying this block; the next header must carry it.
    public let stateRoot: Digest
    public let timeMillis: UInt64

    public init(height: Height, blockHash: Digest, stateRoot: Digest, timeMillis: UInt64) {
        self.height = height
        self.blockHash = blockHash
        self.stateRoot = stateRoot
        self.timeMillis = timeMillis
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return ChainHead(
                height: Height(try DERFields.readUInt64(&nodes, field: "height")),
                blockHash: try DERFields.readDigest(&nodes, field: "blockHash"),
                stateRoot: try DERFields.readDigest(&nodes, field: "stateRoot"),
                timeMillis: try DERFields.readUInt64(&nodes, field: "timeMillis"))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(height.value)
            try DERFields.writeOctets(blockHash.bytes, into: &coder)
            try DERFields.writeOctets(stateRoot.bytes, into: &coder)
            try coder.serialize(timeMillis)
        }
    }
}
