import LedgerCore
import SwiftASN1

/// What a holder signs when they scan the counter's QR code (扫码授权): this
/// office may use these licences for this purpose, until `notAfter`, at most
/// `maxUses` times.
///
/// ```
/// ConsentGrant ::= SEQUENCE {
///   version    INTEGER (1),
///   chainID    UTF8String,
///   holder     OCTET STRING (SIZE (33)),
///   licences   SEQUENCE (SIZE (1..16)) OF OCTET STRING (SIZE (32)),  -- ascending
///   office     UTF8String,
///   purpose    UTF8String (SIZE (1..256)),
///   notAfter   INTEGER,          -- Unix millis, compared with block time
///   maxUses    INTEGER (1..10000),
///   nonce      INTEGER }         -- lets a holder sign two otherwise equal grants
/// ```
/// The grant's id is the suite hash of this encoding; the holder's signature is
/// over `SigningDomain.consent`, so it cannot be replayed as a transaction.
public struct ConsentGrant: CanonicalCodable, Hashable {
    public static let maxLicences = 16
    public static let maxUsesLimit: UInt64 = 10_000
    public static let maxPurposeBytes = LedgerDER.maxReasonBytes
    public static let maxEncodedSize = 1_100
    public static let maxNodeCount = 10 + maxLicences

    public let chainID: ChainID
    public let holder: PublicKeyBytes
    public let licences: [LicenceID]
    public let office: OfficeID
    public let purpose: String
    public let notAfter: UInt64
    public let maxUses: UInt64
    public let nonce: UInt64

    public init(
        chainID: ChainID, holder: PublicKeyBytes, licences: [LicenceID], office: OfficeID, purpose: String,
        notAfter: UInt64, maxUses: UInt64, nonce: UInt64
    ) throws(CanonicalError) {
        let sorted = Array(Set(licences)).sorted()
        guard (1...Self.maxLicences).contains(sorted.count), sorted.count == licences.count else {
            throw .invalidField(type: "ConsentGrant", field: "licences", reason: "must name 1 to \(Self.maxLicences) distinct licences")
        }
        guard (1...LedgerDER.maxReasonBytes).contains(purpose.utf8.count) else {
            throw .invalidField(type: "ConsentGrant", field: "purpose", reason: "must be 1 to \(LedgerDER.maxReasonBytes) bytes")
        }
        guard (1...Self.maxUsesLimit).contains(maxUses) else {
            throw .invalidField(type: "ConsentGrant", field: "maxUses", reason: "must be 1 to \(Self.maxUsesLimit)")
        }
        self.chainID = chainID
        self.holder = holder
        self.licences = sorted
        self.office = office
        self.purpose = purpose
        self.notAfter = notAfter
        self.maxUses = maxUses
        self.nonce = nonce
    }

    public func id(using hash: some DigestFunction) -> ConsentID {
        ConsentID(hash.digest(Canonical.encode(self)))
    }

    /// The exact bytes the holder signs.
    public var signingMessage: [UInt8] {
        SigningDomain.consent.message(for: Canonical.encode(self))
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let chainID = try DERFields.readChainID(&nodes)
            let holder = try LedgerDER.readKey(&nodes, field: "holder")
            let licences = try DERFields.readSequence(&nodes, field: "licences", maxCount: Self.maxLicences) { node in
                LicenceID(try LedgerDER.digest(from: node, field: "licences"))
            }
            try LedgerDER.requireAscending(licences, field: "licences")
            let office = try LedgerDER.readOffice(&nodes)
            let purpose = try LedgerDER.readText(&nodes, field: "purpose", bytes: 1...LedgerDER.maxReasonBytes)
            let notAfter = try DERFields.readUInt64(&nodes, field: "notAfter")
            let maxUses = try DERFields.readUInt64(&nodes, field: "maxUses")
            let nonce = try DERFields.readUInt64(&nodes, field: "nonce")
            return try ConsentGrant(
                chainID: chainID, holder: holder, licences: licences, office: office, purpose: purpose,
                notAfter: notAfter, maxUses: maxUses, nonce: nonce)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeUTF8(chainID.value, into: &coder)
            try DERFields.writeOctets(holder.bytes, into: &coder)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for licence in licences { try DERFields.writeOctets(licence.digest.bytes, into: &coder) }
            }
            try DERFields.writeUTF8(office.value, into: &coder)
            try DERFields.writeUTF8(purpose, into: &coder)
            try coder.serialize(notAfter)
            try coder.serialize(maxUses)
            try coder.serialize(nonce)
        }
    }
}

/// The grant and the holder's signature; any key may submit it (the holder's
/// phone, or the counter that showed the QR code).
///
/// ```
/// SignedConsentGrant ::= SEQUENCE { version INTEGER (1), grant ConsentGrant,
///                                   signature OCTET STRING (SIZE (1..72)) }
/// ```
public struct SignedConsentGrant: CanonicalCodable, Hashable {
    public static let maxEncodedSize = ConsentGrant.maxEncodedSize + 100
    public static let maxNodeCount = 3 + ConsentGrant.maxNodeCount

    public let grant: ConsentGrant
    public let signature: [UInt8]

    public init(grant: ConsentGrant, signature: [UInt8]) throws(CanonicalError) {
        guard (1...SignedTransaction.maxSignatureSize).contains(signature.count) else {
            throw .invalidField(type: "SignedConsentGrant", field: "signature", reason: "length \(signature.count) not in 1...72")
        }
        self.grant = grant
        self.signature = signature
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let grant = try ConsentGrant(derEncoded: &nodes)
            let signature = try DERFields.readOctets(&nodes, field: "signature", count: 1...SignedTransaction.maxSignatureSize)
            return try SignedConsentGrant(grant: grant, signature: signature)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(grant)
            try DERFields.writeOctets(signature, into: &coder)
        }
    }
}

/// Revokes a grant (holder only) or records one use of it (its office only);
/// the transaction kind says which. `licence` is empty for a revocation.
///
/// ```
/// ConsentAction ::= SEQUENCE { version INTEGER (1), consent OCTET STRING (SIZE (32)),
///                              licence OCTET STRING (SIZE (0 | 32)) }
/// ```
public struct ConsentAction: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 120
    public static let maxNodeCount = 4

    public let consent: ConsentID
    public let licence: LicenceID?

    public init(consent: ConsentID, licence: LicenceID?) {
        self.consent = consent
        self.licence = licence
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let consent = try LedgerDER.readConsent(&nodes)
            let licence = try LedgerDER.readOptionalDigest(&nodes, field: "licence").map(LicenceID.init)
            return ConsentAction(consent: consent, licence: licence)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(consent.digest.bytes, into: &coder)
            try DERFields.writeOctets(licence?.digest.bytes ?? [], into: &coder)
        }
    }
}
