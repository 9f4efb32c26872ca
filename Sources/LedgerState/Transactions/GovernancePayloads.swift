import LedgerCore
import SwiftASN1

/// A change to the bureau set or to a bureau's rights.
public enum GovernanceAction: Hashable, Sendable {
    case addBureau(Bureau)
    case removeBureau(BureauID)
    case setRights(BureauID, BureauRights)
}

/// What the bureaus' admins approve. `sequence` must equal the chain's count of
/// governance changes so far, so an approval can be used once only.
///
/// ```
/// GovernanceChange ::= SEQUENCE {
///   version   INTEGER (1),
///   chainID   UTF8String,
///   sequence  INTEGER,
///   action    SEQUENCE { "add", Bureau }                  -- Bureau and BureauRights as in GenesisDocument
///           | SEQUENCE { "remove", id UTF8String }
///           | SEQUENCE { "set-rights", id UTF8String, BureauRights } }
/// ```
public struct GovernanceChange: CanonicalCodable, Hashable {
    public static let maxLicenceTypes = 512
    public static let maxEncodedSize = 24_000
    public static let maxNodeCount = 20 + maxLicenceTypes

    public let chainID: ChainID
    public let sequence: UInt64
    public let action: GovernanceAction

    public init(chainID: ChainID, sequence: UInt64, action: GovernanceAction) {
        self.chainID = chainID
        self.sequence = sequence
        self.action = action
    }

    /// The bytes each approving admin signs.
    public var signingMessage: [UInt8] {
        SigningDomain.governance.message(for: Canonical.encode(self))
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let chainID = try DERFields.readChainID(&nodes)
            let sequence = try DERFields.readUInt64(&nodes, field: "sequence")
            guard let actionNode = nodes.next() else { throw FieldViolation(field: "action", reason: "missing") }
            let action = try DER.sequence(actionNode, identifier: .sequence) { fields in
                try Self.readAction(&fields)
            }
            return GovernanceChange(chainID: chainID, sequence: sequence, action: action)
        }
    }

    private static func readAction(_ nodes: inout ASN1NodeCollection.Iterator) throws -> GovernanceAction {
        let op = try DERFields.readUTF8(&nodes, field: "action", maxBytes: 16)
        switch op {
        case "add":
            guard let node = nodes.next() else { throw FieldViolation(field: "bureau", reason: "missing") }
            return .addBureau(try Bureau(derNode: node))
        case "remove":
            return .removeBureau(try LedgerDER.readBureau(&nodes))
        case "set-rights":
            let id = try LedgerDER.readBureau(&nodes)
            guard let node = nodes.next() else { throw FieldViolation(field: "rights", reason: "missing") }
            return .setRights(id, try BureauRights(derNode: node, bureau: id))
        default:
            throw FieldViolation(field: "action", reason: "unknown action \(op)")
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeUTF8(chainID.value, into: &coder)
            try coder.serialize(sequence)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                switch action {
                case let .addBureau(bureau):
                    try DERFields.writeUTF8("add", into: &coder)
                    try bureau.serialize(into: &coder)
                case let .removeBureau(id):
                    try DERFields.writeUTF8("remove", into: &coder)
                    try DERFields.writeUTF8(id.value, into: &coder)
                case let .setRights(id, rights):
                    try DERFields.writeUTF8("set-rights", into: &coder)
                    try DERFields.writeUTF8(id.value, into: &coder)
                    try rights.serialize(into: &coder)
                }
            }
        }
    }
}

/// One admin's signature over a `GovernanceChange`.
public struct GovernanceApproval: Hashable, Sendable {
    public let bureau: BureauID
    public let signature: [UInt8]

    public init(bureau: BureauID, signature: [UInt8]) {
        self.bureau = bureau
        self.signature = signature
    }
}

/// The change with the approvals gathered for it; any bureau admin submits it.
/// It takes effect with approvals from 2f+1 of the current n bureaus.
///
/// ```
/// ApprovedGovernanceChange ::= SEQUENCE { version INTEGER (1), change GovernanceChange,
///   approvals SEQUENCE (SIZE (1..64)) OF SEQUENCE { bureau UTF8String, signature OCTET STRING } }
///   -- ascending by bureau, one approval per bureau
/// ```
public struct ApprovedGovernanceChange: CanonicalCodable, Hashable {
    public static let maxApprovals = 64
    public static let maxEncodedSize = GovernanceChange.maxEncodedSize + maxApprovals * 120
    public static let maxNodeCount = 4 + GovernanceChange.maxNodeCount + maxApprovals * 3

    public let change: GovernanceChange
    public let approvals: [GovernanceApproval]

    public init(change: GovernanceChange, approvals: [GovernanceApproval]) throws(CanonicalError) {
        let sorted = approvals.sorted { $0.bureau < $1.bureau }
        guard (1...Self.maxApprovals).contains(sorted.count),
              Set(sorted.map(\.bureau)).count == sorted.count,
              sorted.allSatisfy({ (1...SignedTransaction.maxSignatureSize).contains($0.signature.count) })
        else {
            throw .invalidField(
                type: "ApprovedGovernanceChange", field: "approvals",
                reason: "1 to \(Self.maxApprovals) approvals, one per bureau, each signature 1...72 bytes")
        }
        self.change = change
        self.approvals = sorted
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let change = try GovernanceChange(derEncoded: &nodes)
            let approvals = try DERFields.readSequence(&nodes, field: "approvals", maxCount: Self.maxApprovals) { node in
                try DER.sequence(node, identifier: .sequence) { fields in
                    GovernanceApproval(
                        bureau: try LedgerDER.readBureau(&fields),
                        signature: try DERFields.readOctets(&fields, field: "signature", count: 1...SignedTransaction.maxSignatureSize))
                }
            }
            try LedgerDER.requireAscending(approvals.map(\.bureau), field: "approvals")
            do {
                return try ApprovedGovernanceChange(change: change, approvals: approvals)
            } catch {
                throw FieldViolation(field: "approvals", reason: "\(error)")
            }
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(change)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for approval in approvals {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try DERFields.writeUTF8(approval.bureau.value, into: &coder)
                        try DERFields.writeOctets(approval.signature, into: &coder)
                    }
                }
            }
        }
    }
}
