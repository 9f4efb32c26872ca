import CLISupport
import LedgerCore

/// How keys and values travel through the command line: UTF-8 text by
/// default, hexadecimal with --hex.
struct ByteText {
    let hex: Bool

    /// Throws `CLIFailure.input` naming the argument when it is not valid hex.
    func parse(_ text: String, as name: String) throws(CLIFailure) -> [UInt8] {
        guard hex else { return Array(text.utf8) }
        guard let bytes = Hex.decode(text) else {
            throw .input("\(name) is not valid hex: '\(text)' (use an even number of digits 0-9, a-f)")
        }
        return bytes
    }

    func render(_ bytes: [UInt8]) -> String {
        hex ? Hex.encode(bytes) : Self.escapedText(bytes)
    }

    /// Printable UTF-8 as is; every other byte as \xNN, and "\" as "\\", so
    /// one entry is always one line and nothing is silently altered.
    static func escapedText(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                out += "\\\\"
                index += 1
                continue
            }
            let length = sequenceLength(lead: byte)
            if length > 0, index + length <= bytes.count,
               let character = String(validating: bytes[index..<(index + length)], as: UTF8.self),
               let scalar = character.unicodeScalars.first, isPrintable(scalar) {
                out += character
                index += length
            } else {
                out += "\\x" + Hex.encode([byte])
                index += 1
            }
        }
        return out
    }

    private static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }
}
