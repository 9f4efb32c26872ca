import LedgerCore
import SwiftASN1

/// The outcome of one transaction, written for accepted and refused ones alike.
///
/// ```
/// Receipt ::= SEQUENCE {
///   version      INTEGER (1),
///   transaction  OCTET STRING (SIZE (32)),
///   height       INTEGER,
///   index        INTEGER,          -- position in the block
///   kind         INTEGER,
///   sender       OCTET STRING (SIZE (33)),
///   code         UTF8String,       -- ReasonCode, "OK" on success
///   message      UTF8String (SIZE (0..512)) }
/// ```
public struct Receipt: CanonicalCodable, Hashable {
    public static let maxMessageBytes = 512
    public static let maxEncodedSize = 800
    public static let maxNodeCount = 9

    public let transaction: TxID
    public let height: Height
    public let index: UInt64
    public let kind: UInt16
    public let sender: PublicKeyBytes
    public let code: ReasonCode
    public let message: String

    public var accepted: Bool { code == .ok }

    /// The form kept in the authenticated state: everything but the prose.
    public var withoutMessage: Receipt {
        Receipt(transaction: transaction, height: height, index: index, kind: kind, sender: sender, code: code, message: "")
    }

    public init(
        transaction: TxID, height: Height, index: UInt64, kind: UInt16, sender: PublicKeyBytes, code: ReasonCode,
        message: String
    ) {
        self.transaction = transaction
        self.height = height
        self.index = index
        self.kind = kind
        self.sender = sender
        self.code = code
        // Messages are built by the rules from bounded fields; the cut only
        // guards the cap should a future message grow.
        self.message = Self.truncated(message)
    }

    static func truncated(_ text: String) -> String {
        guard text.utf8.count > maxMessageBytes else { return text }
        var out = ""
        for character in text {
            guard out.utf8.count + String(character).utf8.count <= maxMessageBytes else { break }
            out.append(character)
        }
        return out
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let transaction = TxID(try DERFields.readDigest(&nodes, field: "transaction"))
            let height = Height(try DERFields.readUInt64(&nodes, field: "height"))
            let index = try DERFields.readUInt64(&nodes, field: "index")
            guard let kind = UInt16(exactly: try DERFields.readUInt64(&nodes, field: "kind")) else {
                throw FieldViolation(field: "kind", reason: "over 65535")
            }
            let sender = try LedgerDER.readKey(&nodes, field: "sender")
            let codeText = try DERFields.readUTF8(&nodes, field: "code", maxBytes: ReasonCode.maxLength)
            guard let code = ReasonCode(rawValue: codeText) else {
                throw FieldViolation(field: "code", reason: "unknown reason code \(codeText)")
            }
            let message = try LedgerDER.readText(&nodes, field: "message", bytes: 0...Self.maxMessageBytes)
            return Receipt(
                transaction: transaction, height: height, index: index, kind: kind, sender: sender, code: code,
                message: message)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeOctets(transaction.digest.bytes, into: &coder)
            try coder.serialize(height.value)
            try coder.serialize(index)
            try coder.serialize(UInt64(kind))
            try DERFields.writeOctets(sender.bytes, into: &coder)
            try DERFields.writeUTF8(code.rawValue, into: &coder)
            try DERFields.writeUTF8(message, into: &coder)
        }
    }
}

/// A refusal raised inside a rule: the code and the message of the receipt.
public struct Refusal: Error, Equatable, Sendable {
    public let code: ReasonCode
    public let message: String

    public init(_ code: ReasonCode, _ message: String) {
        self.code = code
        self.message = message
    }
}
