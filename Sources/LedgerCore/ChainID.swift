import SwiftASN1

/// Names one chain (e.g. `civic-devnet`). Carried in every transaction and block
/// header so a signature made for one chain is worthless on another.
public struct ChainID: Hashable, Sendable, CustomStringConvertible {
    public static let maxLength = 64

    public let value: String

    /// Lower-case ASCII letters, digits and `-`, starting with a letter or digit.
    public init?(_ value: String) {
        let utf8 = Array(value.utf8)
        guard (1...Self.maxLength).contains(utf8.count), Self.isAlnum(utf8[0]),
              utf8.allSatisfy({ Self.isAlnum($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        self.value = value
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    public var description: String { value }
}

extension DERFields {
    public static func readChainID(_ nodes: inout ASN1NodeCollection.Iterator) throws -> ChainID {
        let text = try readUTF8(&nodes, field: "chainID", maxBytes: ChainID.maxLength)
        guard let id = ChainID(text) else {
            throw FieldViolation(field: "chainID", reason: "must match [a-z0-9][a-z0-9-]{0,63}")
        }
        return id
    }
}
