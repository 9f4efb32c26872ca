import ArgumentParser

/// How keys and values travel through the command line: UTF-8 text by
/// default, hexadecimal with --hex.
struct ByteText {
    let hex: Bool

    func parse(_ text: String, as name: String) throws -> [UInt8] {
        guard hex else { return Array(text.utf8) }
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else {
            throw ValidationError("\(name) is not valid hex: odd number of digits in '\(text)'")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                throw ValidationError("\(name) is not valid hex: '\(text)' (use digits 0-9 and a-f)")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    func render(_ bytes: [UInt8]) -> String {
        hex ? Self.hexString(bytes) : Self.escapedText(bytes)
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
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
                out += "\\x" + hexString([byte])
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

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
