import SwiftASN1

/// What a signature is for. The signed message is
/// `SEQUENCE { domain UTF8String, body OCTET STRING }`, so a signature over a
/// transaction can never be replayed as, say, a consensus vote with the same bytes.
public enum SigningDomain: String, Sendable, CaseIterable {
    case transaction = "civicledger/transaction/v1"
    case consensus = "civicledger/consensus/v1"
    /// A replica's statement of the state it reached by executing a block,
    /// which light clients check answers against.
    case stateAttestation = "civicledger/state-attestation/v1"
    case apiRequest = "civicledger/api-request/v1"
    /// A holder's consent grant (扫码授权), signed by the holder's key.
    case consent = "civicledger/consent/v1"
    /// A bureau admin's approval of a change to the bureau set or its rights.
    case governance = "civicledger/governance/v1"
    /// Free-form documents signed with `civic sign`.
    case document = "civicledger/document/v1"

    public func message(for body: [UInt8]) -> [UInt8] {
        var coder = DER.Serializer()
        do {
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(ASN1UTF8String(rawValue))
                try coder.serialize(ASN1OctetString(contentBytes: body[...]))
            }
        } catch {
            preconditionFailure("signing message encoding failed: \(error)")
        }
        return coder.serializedBytes
    }
}
