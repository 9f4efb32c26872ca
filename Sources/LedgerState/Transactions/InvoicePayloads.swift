import LedgerCore
import SwiftASN1

/// Issues an e-invoice (区块链电子发票). The seller is the sending taxpayer;
/// amounts are integer fen (分) so no rounding ever happens on chain.
///
/// ```
/// InvoiceIssue ::= SEQUENCE {
///   version         INTEGER (1),
///   invoiceCode     UTF8String,   -- 发票代码, 10..12 digits
///   invoiceNumber   UTF8String,   -- 发票号码, 8..20 digits
///   buyer           UTF8String,   -- buyer's 统一社会信用代码
///   amountFen       INTEGER (1..2^63-1),
///   taxFen          INTEGER (0..2^63-1),
///   documentDigest  OCTET STRING (SIZE (32)) }
/// ```
public struct InvoiceIssue: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 200
    public static let maxNodeCount = 8
    /// Amount plus tax must stay below 2^63 fen so any sum of two fits.
    public static let maxFen = UInt64(Int64.max)

    public let invoice: InvoiceID
    public let buyer: TaxpayerID
    public let amountFen: UInt64
    public let taxFen: UInt64
    public let documentDigest: Digest

    public init(invoice: InvoiceID, buyer: TaxpayerID, amountFen: UInt64, taxFen: UInt64, documentDigest: Digest)
        throws(CanonicalError)
    {
        guard amountFen >= 1, amountFen <= Self.maxFen, taxFen <= Self.maxFen - amountFen else {
            throw .invalidField(
                type: "InvoiceIssue", field: "amountFen",
                reason: "amount must be at least 1 fen and amount plus tax at most \(Self.maxFen) fen")
        }
        self.invoice = invoice
        self.buyer = buyer
        self.amountFen = amountFen
        self.taxFen = taxFen
        self.documentDigest = documentDigest
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return try InvoiceIssue(
                invoice: try LedgerDER.readInvoice(&nodes),
                buyer: try LedgerDER.readTaxpayer(&nodes, field: "buyer"),
                amountFen: try DERFields.readUInt64(&nodes, field: "amountFen"),
                taxFen: try DERFields.readUInt64(&nodes, field: "taxFen"),
                documentDigest: try DERFields.readDigest(&nodes, field: "documentDigest"))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try LedgerDER.writeInvoice(invoice, into: &coder)
            try DERFields.writeUTF8(buyer.value, into: &coder)
            try coder.serialize(amountFen)
            try coder.serialize(taxFen)
            try DERFields.writeOctets(documentDigest.bytes, into: &coder)
        }
    }
}

/// Claims, reimburses or reverses (红冲) an invoice; the transaction kind says
/// which. `reason` is required for a reversal and optional otherwise (e.g. the
/// reimbursement's purpose); it is kept in the invoice's event.
///
/// ```
/// InvoiceAction ::= SEQUENCE { version INTEGER (1), invoiceCode UTF8String,
///                              invoiceNumber UTF8String, reason UTF8String (SIZE (0..256)) }
/// ```
public struct InvoiceAction: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 340
    public static let maxNodeCount = 5

    public let invoice: InvoiceID
    public let reason: String

    public init(invoice: InvoiceID, reason: String = "") throws(CanonicalError) {
        guard reason.utf8.count <= LedgerDER.maxReasonBytes else {
            throw .invalidField(type: "InvoiceAction", field: "reason", reason: "over \(LedgerDER.maxReasonBytes) bytes")
        }
        self.invoice = invoice
        self.reason = reason
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let invoice = try LedgerDER.readInvoice(&nodes)
            let reason = try LedgerDER.readText(&nodes, field: "reason", bytes: 0...LedgerDER.maxReasonBytes)
            return try InvoiceAction(invoice: invoice, reason: reason)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try LedgerDER.writeInvoice(invoice, into: &coder)
            try DERFields.writeUTF8(reason, into: &coder)
        }
    }
}
