import LedgerCore
import SwiftASN1

/// Readers for the ledger's own identifiers, so every payload applies the same
/// alphabet and length rules as the identifier types.
enum LedgerDER {
    static let maxNameBytes = 128
    static let maxReasonBytes = 256

    static func readKey(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> PublicKeyBytes {
        let bytes = try DERFields.readOctets(&nodes, field: field, count: 33...33)
        guard let key = PublicKeyBytes(bytes) else {
            throw FieldViolation(field: field, reason: "not a compressed SEC1 public key")
        }
        return key
    }

    static func readText(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, bytes: ClosedRange<Int>
    ) throws -> String {
        let text = try DERFields.readUTF8(&nodes, field: field, maxBytes: bytes.upperBound)
        guard text.utf8.count >= bytes.lowerBound else {
            throw FieldViolation(field: field, reason: "shorter than \(bytes.lowerBound) bytes")
        }
        return text
    }

    static func readID<T>(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, rule: IdentifierRule, make: (String) -> T?
    ) throws -> T {
        let text = try DERFields.readUTF8(&nodes, field: field, maxBytes: 64)
        guard let id = make(text) else { throw FieldViolation(field: field, reason: "must be \(rule.explanation)") }
        return id
    }

    static func readOffice(_ nodes: inout ASN1NodeCollection.Iterator) throws -> OfficeID {
        try readID(&nodes, field: "office", rule: OfficeID.rule, make: OfficeID.init)
    }

    static func readTaxpayer(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> TaxpayerID {
        try readID(&nodes, field: field, rule: TaxpayerID.rule, make: TaxpayerID.init)
    }

    static func readLicence(_ nodes: inout ASN1NodeCollection.Iterator, field: String = "licence") throws -> LicenceID {
        LicenceID(try DERFields.readDigest(&nodes, field: field))
    }

    /// A list element that must be a 32-byte OCTET STRING.
    static func digest(from node: ASN1Node, field: String) throws -> Digest {
        let octets = try ASN1OctetString(derEncoded: node)
        guard octets.bytes.count == Digest.byteCount else {
            throw FieldViolation(field: field, reason: "element of \(octets.bytes.count) bytes; expected 32")
        }
        return Digest(unchecked: Array(octets.bytes))
    }

    /// An optional digest, written as an empty OCTET STRING when absent.
    static func readOptionalDigest(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Digest? {
        let bytes = try DERFields.readOctets(&nodes, field: field, count: 0...32)
        switch bytes.count {
        case 0: return nil
        case 32: return Digest(unchecked: bytes)
        default: throw FieldViolation(field: field, reason: "must be empty or 32 bytes")
        }
    }

    static func readConsent(_ nodes: inout ASN1NodeCollection.Iterator) throws -> ConsentID {
        ConsentID(try DERFields.readDigest(&nodes, field: "consent"))
    }

    static func readInvoice(_ nodes: inout ASN1NodeCollection.Iterator) throws -> InvoiceID {
        let code = try DERFields.readUTF8(&nodes, field: "invoiceCode", maxBytes: 12)
        let number = try DERFields.readUTF8(&nodes, field: "invoiceNumber", maxBytes: 20)
        guard let id = InvoiceID(code: code, number: number) else {
            throw FieldViolation(
                field: "invoice",
                reason: "code must be \(InvoiceID.codeRule.explanation), number \(InvoiceID.numberRule.explanation)")
        }
        return id
    }

    static func writeInvoice(_ id: InvoiceID, into coder: inout DER.Serializer) throws {
        try DERFields.writeUTF8(id.code, into: &coder)
        try DERFields.writeUTF8(id.number, into: &coder)
    }

    static func readBureau(_ nodes: inout ASN1NodeCollection.Iterator, field: String = "bureau") throws -> BureauID {
        let text = try DERFields.readUTF8(&nodes, field: field, maxBytes: 32)
        do {
            return try BureauID(text)
        } catch {
            throw FieldViolation(field: field, reason: "\(error)")
        }
    }

    static func readLicenceType(_ nodes: inout ASN1NodeCollection.Iterator) throws -> LicenceTypeCode {
        let text = try DERFields.readUTF8(&nodes, field: "licenceType", maxBytes: 32)
        do {
            return try LicenceTypeCode(text)
        } catch {
            throw FieldViolation(field: "licenceType", reason: "\(error)")
        }
    }

    /// A strictly ascending list: one set, one encoding.
    static func requireAscending<T: Comparable>(_ items: [T], field: String) throws {
        for index in items.indices.dropFirst() where !(items[index - 1] < items[index]) {
            throw FieldViolation(field: field, reason: "must be strictly ascending (sorted, no duplicates)")
        }
    }
}
