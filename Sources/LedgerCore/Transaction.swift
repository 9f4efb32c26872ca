import SwiftASN1

/// The signed envelope common to every ledger transaction.
///
/// ```
/// Transaction ::= SEQUENCE {
///   version       INTEGER (1),
///   chainID       UTF8String (SIZE (1..64)),
///   sender        OCTET STRING (SIZE (33)),   -- compressed SEC1 public key
///   nonce         INTEGER (0..2^64-1),        -- makes otherwise equal transactions distinct
///   expiryHeight  INTEGER (0..2^64-1),        -- refused in blocks above this height
///                                             -- (with the id's uniqueness: replay protection)
///   kind          INTEGER (0..65535),         -- payload type, defined by LedgerState
///   payload       OCTET STRING (SIZE (0..65536))  -- canonical DER of that type
/// }
/// ```
/// The payload stays opaque here: LedgerCore fixes the envelope, the state machine
/// owns the meaning of each kind.
public struct Transaction: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxPayloadSize = 65_536
    public static let maxEncodedSize = 66_000
    /// The SEQUENCE and its seven fields.
    public static let maxNodeCount = 8

    public let chainID: ChainID
    public let sender: PublicKeyBytes
    public let nonce: UInt64
    public let expiryHeight: Height
    public let kind: UInt16
    public let payload: [UInt8]

    public init(
        chainID: ChainID, sender: PublicKeyBytes, nonce: UInt64, expiryHeight: Height, kind: UInt16, payload: [UInt8]
    ) throws(CanonicalError) {
        guard payload.count <= Self.maxPayloadSize else {
            throw .invalidField(
                type: "Transaction", field: "payload",
                reason: "\(payload.count) bytes, over the limit of \(Self.maxPayloadSize)")
        }
        self.chainID = chainID
        self.sender = sender
        self.nonce = nonce
        self.expiryHeight = expiryHeight
        self.kind = kind
        self.payload = payload
    }

    /// The transaction id: the suite hash of this canonical encoding.
    public func id(using hash: some DigestFunction) -> TxID {
        TxID(hash.digest(Canonical.encode(self)))
    }

    /// The exact bytes the sender signs.
    public var signingMessage: [UInt8] {
        SigningDomain.transaction.message(for: Canonical.encode(self))
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            let chainID = try DERFields.readChainID(&nodes)
            let senderBytes = try DERFields.readOctets(&nodes, field: "sender", count: 33...33)
            guard let sender = PublicKeyBytes(senderBytes) else {
                throw FieldViolation(field: "sender", reason: "not a compressed SEC1 public key")
            }
            let nonce = try DERFields.readUInt64(&nodes, field: "nonce")
            let expiry = try DERFields.readUInt64(&nodes, field: "expiryHeight")
            let kind = try DERFields.readUInt64(&nodes, field: "kind")
            guard let kind16 = UInt16(exactly: kind) else {
                throw FieldViolation(field: "kind", reason: "\(kind) is over 65535")
            }
            let payload = try DERFields.readOctets(&nodes, field: "payload", count: 0...Self.maxPayloadSize)
            return try Transaction(
                chainID: chainID, sender: sender, nonce: nonce, expiryHeight: Height(expiry),
                kind: kind16, payload: payload)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeUTF8(chainID.value, into: &coder)
            try DERFields.writeOctets(sender.bytes, into: &coder)
            try coder.serialize(nonce)
            try coder.serialize(expiryHeight.value)
            try coder.serialize(UInt64(kind))
            try DERFields.writeOctets(payload, into: &coder)
        }
    }
}

/// A transaction with its sender's signature over `Transaction.signingMessage`.
///
/// ```
/// SignedTransaction ::= SEQUENCE {
///   version      INTEGER (1),
///   transaction  Transaction,
///   signature    OCTET STRING (SIZE (1..72))  -- 64-byte compact (standard) or DER (guomi)
/// }
/// ```
public struct SignedTransaction: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxSignatureSize = 72
    public static let maxEncodedSize = Transaction.maxEncodedSize + 128
    /// SEQUENCE, version, the transaction's nodes, signature.
    public static let maxNodeCount = 3 + Transaction.maxNodeCount

    public let transaction: Transaction
    public let signature: [UInt8]

    public init(transaction: Transaction, signature: [UInt8]) throws(CanonicalError) {
        guard (1...Self.maxSignatureSize).contains(signature.count) else {
            throw .invalidField(
                type: "SignedTransaction", field: "signature",
                reason: "length \(signature.count) not in 1...\(Self.maxSignatureSize)")
        }
        self.transaction = transaction
        self.signature = signature
    }

    /// The canonical encoding of `transaction`, found inside `encoded`, the
    /// canonical encoding of a `SignedTransaction`: the envelope is
    /// `SEQUENCE { INTEGER 1, Transaction, OCTET STRING }`, so the transaction's
    /// bytes are a slice of it and need not be encoded a second time.
    ///
    /// `encoded` must be `Canonical.encode(signed)` of some value (not bytes
    /// from outside); anything else is a programming error and traps.
    public static func transactionEncoding(in encoded: [UInt8]) -> ArraySlice<UInt8> {
        // Outer SEQUENCE header, then the version INTEGER 1 (02 01 01).
        var position = 1 + headerLengthBytes(encoded, at: 1)
        precondition(
            encoded.count > position + 3 && encoded[0] == 0x30 && encoded[position] == 0x02
                && encoded[position + 1] == 0x01 && encoded[position + 2] == 0x01,
            "not the canonical encoding of a SignedTransaction")
        position += 3
        let start = position
        precondition(encoded[start] == 0x30, "not the canonical encoding of a SignedTransaction")
        let lengthBytes = headerLengthBytes(encoded, at: start + 1)
        var length = Int(encoded[start + 1])
        if lengthBytes > 1 {
            length = 0
            for byte in encoded[(start + 2)..<(start + 1 + lengthBytes)] { length = length << 8 | Int(byte) }
        }
        let end = start + 1 + lengthBytes + length
        precondition(end < encoded.count, "not the canonical encoding of a SignedTransaction")
        return encoded[start..<end]
    }

    /// Bytes taken by the DER length that starts at `index`.
    private static func headerLengthBytes(_ bytes: [UInt8], at index: Int) -> Int {
        let first = bytes[index]
        return first & 0x80 == 0 ? 1 : 1 + Int(first & 0x7f)
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            let transaction = try Transaction(derEncoded: &nodes)
            let signature = try DERFields.readOctets(&nodes, field: "signature", count: 1...Self.maxSignatureSize)
            return try SignedTransaction(transaction: transaction, signature: signature)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(transaction)
            try DERFields.writeOctets(signature, into: &coder)
        }
    }
}
