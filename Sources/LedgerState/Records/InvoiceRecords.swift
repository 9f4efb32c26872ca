import LedgerCore
import SwiftASN1

public enum InvoiceStatus: String, Sendable, CaseIterable, Hashable {
    case issued, claimed, reimbursed, reversed
}

/// An e-invoice as the chain keeps it; its history is a list of events.
public struct InvoiceRecord: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 400
    public static let maxNodeCount = 16

    public let issued: InvoiceIssue
    public let seller: TaxpayerID
    public let issuedAtMillis: UInt64
    public var status: InvoiceStatus
    /// How many events `InvoiceEventRecord` keys hold, 1 after issue.
    public var eventCount: UInt64

    public var id: InvoiceID { issued.invoice }

    public init(issued: InvoiceIssue, seller: TaxpayerID, issuedAtMillis: UInt64, status: InvoiceStatus, eventCount: UInt64) {
        self.issued = issued
        self.seller = seller
        self.issuedAtMillis = issuedAtMillis
        self.status = status
        self.eventCount = eventCount
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let issued = try InvoiceIssue(derEncoded: &nodes)
            let seller = try LedgerDER.readTaxpayer(&nodes, field: "seller")
            let issuedAt = try DERFields.readUInt64(&nodes, field: "issuedAtMillis")
            let statusText = try DERFields.readUTF8(&nodes, field: "status", maxBytes: 16)
            guard let status = InvoiceStatus(rawValue: statusText) else {
                throw FieldViolation(field: "status", reason: "unknown status \(statusText)")
            }
            let events = try DERFields.readUInt64(&nodes, field: "eventCount")
            return InvoiceRecord(issued: issued, seller: seller, issuedAtMillis: issuedAt, status: status, eventCount: events)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(issued)
            try DERFields.writeUTF8(seller.value, into: &coder)
            try coder.serialize(issuedAtMillis)
            try DERFields.writeUTF8(status.rawValue, into: &coder)
            try coder.serialize(eventCount)
        }
    }
}

/// One step of an invoice's life, for the auditor's trace (全流程追溯).
public struct InvoiceEventRecord: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 500
    public static let maxNodeCount = 8

    public let status: InvoiceStatus
    public let actor: PublicKeyBytes
    public let height: Height
    public let timeMillis: UInt64
    public let transaction: TxID
    public let reason: String

    public init(status: InvoiceStatus, actor: PublicKeyBytes, height: Height, timeMillis: UInt64, transaction: TxID, reason: String) {
        self.status = status
        self.actor = actor
        self.height = height
        self.timeMillis = timeMillis
        self.transaction = transaction
        self.reason = reason
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let statusText = try DERFields.readUTF8(&nodes, field: "status", maxBytes: 16)
            guard let status = InvoiceStatus(rawValue: statusText) else {
                throw FieldViolation(field: "status", reason: "unknown status \(statusText)")
            }
            return InvoiceEventRecord(
                status: status,
                actor: try LedgerDER.readKey(&nodes, field: "actor"),
                height: Height(try DERFields.readUInt64(&nodes, field: "height")),
                timeMillis: try DERFields.readUInt64(&nodes, field: "timeMillis"),
                transaction: TxID(try DERFields.readDigest(&nodes, field: "transaction")),
                reason: try LedgerDER.readText(&nodes, field: "reason", bytes: 0...LedgerDER.maxReasonBytes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeUTF8(status.rawValue, into: &coder)
            try DERFields.writeOctets(actor.bytes, into: &coder)
            try coder.serialize(height.value)
            try coder.serialize(timeMillis)
            try DERFields.writeOctets(transaction.digest.bytes, into: &coder)
            try DERFields.writeUTF8(reason, into: &coder)
        }
    }
}
