import LedgerCore
import SwiftASN1

/// Issues an e-licence (电子证照). The chain keeps only digests: the holder is a
/// key, the person behind it a commitment `H(salt ‖ id-number)`, the document
/// its digest.
///
/// ```
/// LicenceIssue ::= SEQUENCE {
///   version           INTEGER (1),
///   licenceType       UTF8String,            -- catalogue code, e.g. BUSINESS_LICENCE
///   holderKey         OCTET STRING (SIZE (33)),
///   holderCommitment  OCTET STRING (SIZE (32)),
///   documentDigest    OCTET STRING (SIZE (32)),
///   validFrom         INTEGER,               -- Unix millis
///   validUntil        INTEGER }              -- Unix millis; 2^64-1 = long-term (长期)
/// ```
public struct LicenceIssue: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 300
    public static let maxNodeCount = 8
    /// `validUntil` of a licence without an end date (长期有效).
    public static let longTerm = UInt64.max

    public let licenceType: LicenceTypeCode
    public let holderKey: PublicKeyBytes
    public let holderCommitment: Digest
    public let documentDigest: Digest
    public let validFrom: UInt64
    public let validUntil: UInt64

    public init(
        licenceType: LicenceTypeCode, holderKey: PublicKeyBytes, holderCommitment: Digest, documentDigest: Digest,
        validFrom: UInt64, validUntil: UInt64
    ) {
        self.licenceType = licenceType
        self.holderKey = holderKey
        self.holderCommitment = holderCommitment
        self.documentDigest = documentDigest
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return LicenceIssue(
                licenceType: try LedgerDER.readLicenceType(&nodes),
                holderKey: try LedgerDER.readKey(&nodes, field: "holderKey"),
                holderCommitment: try DERFields.readDigest(&nodes, field: "holderCommitment"),
                documentDigest: try DERFields.readDigest(&nodes, field: "documentDigest"),
                validFrom: try DERFields.readUInt64(&nodes, field: "validFrom"),
                validUntil: try DERFields.readUInt64(&nodes, field: "validUntil"))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeUTF8(licenceType.value, into: &coder)
            try DERFields.writeOctets(holderKey.bytes, into: &coder)
            try DERFields.writeOctets(holderCommitment.bytes, into: &coder)
            try DERFields.writeOctets(documentDigest.bytes, into: &coder)
            try coder.serialize(validFrom)
            try coder.serialize(validUntil)
        }
    }
}

/// Suspends, reinstates or revokes a licence (the transaction kind says which).
///
/// ```
/// LicenceStatusChange ::= SEQUENCE { version INTEGER (1), licence OCTET STRING (SIZE (32)),
///                                    reason UTF8String (SIZE (0..256)) }
/// ```
public struct LicenceStatusChange: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 340
    public static let maxNodeCount = 4

    public let licence: LicenceID
    public let reason: String

    public init(licence: LicenceID, reason: String) throws(CanonicalError) {
        guard reason.utf8.count <= LedgerDER.maxReasonBytes else {
            throw .invalidField(type: "LicenceStatusChange", field: "reason", reason: "over \(LedgerDER.maxReasonBytes) bytes")
        }
        self.licence = licence
        self.reason = reason
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let licence = try LedgerDER.readLicence(&nodes)
            let reason = try LedgerDER.readText(&nodes, field: "reason", bytes: 0...LedgerDER.maxReasonBytes)
            return try LicenceStatusChange(licence: licence, reason: reason)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(licence.digest.bytes, into: &coder)
            try DERFields.writeUTF8(reason, into: &coder)
        }
    }
}

/// Replaces a licence by a new one (换证): the old becomes `superseded` and
/// both link to each other. The replacement may change holder key and window.
///
/// ```
/// LicenceSupersession ::= SEQUENCE { version INTEGER (1), old OCTET STRING (SIZE (32)),
///                                    replacement LicenceIssue }
/// ```
public struct LicenceSupersession: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 400
    public static let maxNodeCount = 3 + LicenceIssue.maxNodeCount

    public let old: LicenceID
    public let replacement: LicenceIssue

    public init(old: LicenceID, replacement: LicenceIssue) {
        self.old = old
        self.replacement = replacement
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let old = try LedgerDER.readLicence(&nodes, field: "old")
            return LicenceSupersession(old: old, replacement: try LicenceIssue(derEncoded: &nodes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(old.digest.bytes, into: &coder)
            try coder.serialize(replacement)
        }
    }
}
