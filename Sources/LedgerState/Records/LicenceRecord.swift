import LedgerCore
import SwiftASN1

public enum LicenceStatus: String, Sendable, CaseIterable, Hashable {
    case active, suspended, revoked, superseded
}

/// A licence as the chain keeps it: digests and status, never personal data.
public struct LicenceRecord: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 600
    /// SEQUENCE, version, id, issuer, the issue's nodes, status, two links, two heights.
    public static let maxNodeCount = 9 + LicenceIssue.maxNodeCount

    public let id: LicenceID
    public let issuer: BureauID
    public let issued: LicenceIssue
    public var status: LicenceStatus
    /// The licence this one replaced, and the one that replaced it.
    public var supersedes: LicenceID?
    public var supersededBy: LicenceID?
    public let issuedAtHeight: Height
    public var updatedAtHeight: Height

    public var licenceType: LicenceTypeCode { issued.licenceType }
    public var holderKey: PublicKeyBytes { issued.holderKey }

    public init(
        id: LicenceID, issuer: BureauID, issued: LicenceIssue, status: LicenceStatus, supersedes: LicenceID?,
        supersededBy: LicenceID?, issuedAtHeight: Height, updatedAtHeight: Height
    ) {
        self.id = id
        self.issuer = issuer
        self.issued = issued
        self.status = status
        self.supersedes = supersedes
        self.supersededBy = supersededBy
        self.issuedAtHeight = issuedAtHeight
        self.updatedAtHeight = updatedAtHeight
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let id = try LedgerDER.readLicence(&nodes, field: "id")
            let issuer = try LedgerDER.readBureau(&nodes, field: "issuer")
            let issued = try LicenceIssue(derEncoded: &nodes)
            let statusText = try DERFields.readUTF8(&nodes, field: "status", maxBytes: 16)
            guard let status = LicenceStatus(rawValue: statusText) else {
                throw FieldViolation(field: "status", reason: "unknown status \(statusText)")
            }
            let supersedes = try LedgerDER.readOptionalDigest(&nodes, field: "supersedes").map(LicenceID.init)
            let supersededBy = try LedgerDER.readOptionalDigest(&nodes, field: "supersededBy").map(LicenceID.init)
            return LicenceRecord(
                id: id, issuer: issuer, issued: issued, status: status, supersedes: supersedes,
                supersededBy: supersededBy,
                issuedAtHeight: Height(try DERFields.readUInt64(&nodes, field: "issuedAtHeight")),
                updatedAtHeight: Height(try DERFields.readUInt64(&nodes, field: "updatedAtHeight")))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(id.digest.bytes, into: &coder)
            try DERFields.writeUTF8(issuer.value, into: &coder)
            try coder.serialize(issued)
            try DERFields.writeUTF8(status.rawValue, into: &coder)
            try DERFields.writeOctets(supersedes?.digest.bytes ?? [], into: &coder)
            try DERFields.writeOctets(supersededBy?.digest.bytes ?? [], into: &coder)
            try coder.serialize(issuedAtHeight.value)
            try coder.serialize(updatedAtHeight.value)
        }
    }
}
