import LedgerCore
import SwiftASN1

/// A consent grant and how much of it is left.
public struct ConsentRecord: CanonicalCodable, Hashable {
    public static let maxEncodedSize = ConsentGrant.maxEncodedSize + 120
    public static let maxNodeCount = 6 + ConsentGrant.maxNodeCount

    public let id: ConsentID
    public let grant: ConsentGrant
    public var uses: UInt64
    public var revoked: Bool
    public let grantedAtHeight: Height

    public var usesLeft: UInt64 { grant.maxUses - min(uses, grant.maxUses) }

    public init(id: ConsentID, grant: ConsentGrant, uses: UInt64, revoked: Bool, grantedAtHeight: Height) {
        self.id = id
        self.grant = grant
        self.uses = uses
        self.revoked = revoked
        self.grantedAtHeight = grantedAtHeight
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return ConsentRecord(
                id: try LedgerDER.readConsent(&nodes),
                grant: try ConsentGrant(derEncoded: &nodes),
                uses: try DERFields.readUInt64(&nodes, field: "uses"),
                revoked: try DERFields.readBool(&nodes, field: "revoked"),
                grantedAtHeight: Height(try DERFields.readUInt64(&nodes, field: "grantedAtHeight")))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(id.digest.bytes, into: &coder)
            try coder.serialize(grant)
            try coder.serialize(uses)
            try coder.serialize(revoked)
            try coder.serialize(grantedAtHeight.value)
        }
    }
}

/// One use of a grant by its office: what the holder sees in "who looked".
public struct ConsentUseRecord: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 240
    public static let maxNodeCount = 8

    public let consent: ConsentID
    public let licence: LicenceID
    public let office: OfficeID
    public let height: Height
    public let timeMillis: UInt64
    public let transaction: TxID

    public init(consent: ConsentID, licence: LicenceID, office: OfficeID, height: Height, timeMillis: UInt64, transaction: TxID) {
        self.consent = consent
        self.licence = licence
        self.office = office
        self.height = height
        self.timeMillis = timeMillis
        self.transaction = transaction
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return ConsentUseRecord(
                consent: try LedgerDER.readConsent(&nodes),
                licence: try LedgerDER.readLicence(&nodes),
                office: try LedgerDER.readOffice(&nodes),
                height: Height(try DERFields.readUInt64(&nodes, field: "height")),
                timeMillis: try DERFields.readUInt64(&nodes, field: "timeMillis"),
                transaction: TxID(try DERFields.readDigest(&nodes, field: "transaction")))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(consent.digest.bytes, into: &coder)
            try DERFields.writeOctets(licence.digest.bytes, into: &coder)
            try DERFields.writeUTF8(office.value, into: &coder)
            try coder.serialize(height.value)
            try coder.serialize(timeMillis)
            try DERFields.writeOctets(transaction.digest.bytes, into: &coder)
        }
    }
}
