import LedgerCore
import SwiftASN1

public typealias ViewNumber = UInt64
public typealias SequenceNumber = UInt64
/// Milliseconds of the driver's clock. The replica never reads a clock; every
/// event carries the driver's time, which the simulator makes virtual.
public typealias Millis = UInt64

/// A replica's index in the replica set fixed at genesis; the primary of view v
/// is replica `v mod n`.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int

    public init(_ index: Int) {
        precondition(index >= 0 && index < ConsensusLimits.maxReplicas, "replica index \(index) out of range")
        self.index = index
    }

    public var description: String { "r\(index)" }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.index < rhs.index }
}

extension ReplicaID {
    static func read(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> ReplicaID {
        let raw = try DERInteger.read(&nodes, field: field)
        guard raw < UInt64(ConsensusLimits.maxReplicas) else {
            throw FieldViolation(field: field, reason: "replica index \(raw) is not below \(ConsensusLimits.maxReplicas)")
        }
        return ReplicaID(Int(raw))
    }

    func write(into coder: inout DER.Serializer) throws {
        DERInteger.write(UInt64(index), into: &coder)
    }
}
