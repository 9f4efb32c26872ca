import LedgerCore
import LedgerState

/// Binary values arrive as hex. Stricter than `Hex.decode`: no `0x` prefix and
/// an exact length range, so a truncated or padded id is refused by name
/// rather than looked up and "not found".
enum HexInput {
    static func bytes(_ text: some StringProtocol, count: ClosedRange<Int>) -> [UInt8]? {
        let utf8 = text.utf8
        // `Hex.decode` also takes a `0x` prefix; the API does not.
        guard utf8.count % 2 == 0, count.contains(utf8.count / 2), !utf8.starts(with: "0x".utf8), !utf8.starts(with: "0X".utf8)
        else { return nil }
        return Hex.decode(String(text))
    }

    // MARK: Typed values, each failing with BAD_HEX naming the field

    static func digest(_ text: some StringProtocol, field: String) throws(APIError) -> Digest {
        guard let bytes = bytes(text, count: Digest.byteCount...Digest.byteCount) else {
            throw .badHex(field, "expected \(Digest.byteCount * 2) hex characters")
        }
        return Digest(unchecked: bytes)
    }

    static func publicKey(_ text: some StringProtocol, field: String) throws(APIError) -> PublicKeyBytes {
        guard let bytes = bytes(text, count: PublicKeyBytes.byteCount...PublicKeyBytes.byteCount),
              let key = PublicKeyBytes(bytes)
        else {
            throw .badHex(field, "expected a compressed public key: 66 hex characters starting 02 or 03")
        }
        return key
    }

    static func txID(_ text: some StringProtocol) throws(APIError) -> TxID { TxID(try digest(text, field: "txid")) }
    static func licenceID(_ text: some StringProtocol) throws(APIError) -> LicenceID { LicenceID(try digest(text, field: "licence id")) }
    static func consentID(_ text: some StringProtocol) throws(APIError) -> ConsentID { ConsentID(try digest(text, field: "consent id")) }
}

/// Unsigned decimal integers: digits only (no sign, no spaces, no exponent).
enum DecimalInput {
    static func uint64(_ text: some StringProtocol) -> UInt64? {
        let utf8 = text.utf8
        guard (1...20).contains(utf8.count), utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return UInt64(String(text))
    }
}
