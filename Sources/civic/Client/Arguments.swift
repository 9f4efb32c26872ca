import CLISupport
import Foundation
import LedgerCore
import LedgerCrypto

/// Parsers for the values people type: times, durations, money, keys.
enum Arguments {
    /// `2026-12-31`, `2026-12-31T09:30`, `2026-12-31T09:30:00` (local time, TZ)
    /// or Unix milliseconds.
    static func time(_ text: String, option: String) throws(CLIFailure) -> UInt64 {
        if !text.isEmpty, text.count <= 16, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let millis = UInt64(text) {
            return millis
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text), date.timeIntervalSince1970 >= 0 {
                return UInt64(date.timeIntervalSince1970 * 1000)
            }
        }
        throw .input("\(option) takes a date (2026-12-31), a local time (2026-12-31T09:30) or Unix milliseconds, not \"\(text)\"")
    }

    /// `90s`, `10m`, `2h`, `30d` as milliseconds.
    static func duration(_ text: String, option: String) throws(CLIFailure) -> UInt64 {
        let units: [Character: UInt64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        let tenYears: UInt64 = 3650 * 86_400_000
        guard let unit = text.last, let scale = units[unit], text.count <= 12, let count = UInt64(text.dropLast()), count > 0,
            count <= tenYears / scale
        else { throw .input("\(option) takes a duration from 1s to 3650d, such as 90s, 10m, 2h or 30d, not \"\(text)\"") }
        return count * scale
    }

    /// Yuan with at most two decimals (`1234.5`, `0.01`) as integer fen; no floating point.
    static func fen(_ text: String, option: String) throws(CLIFailure) -> UInt64 {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let problem = CLIFailure.input("\(option) takes yuan with at most two decimals, such as 1234.56, not \"\(text)\"")
        guard (1...2).contains(parts.count), let wholeText = parts.first, !wholeText.isEmpty, wholeText.count <= 16,
            wholeText.allSatisfy({ $0.isASCII && $0.isNumber }), let whole = UInt64(wholeText)
        else { throw problem }
        var cents: UInt64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw problem }
            cents = UInt64(fraction)! * (fraction.count == 1 ? 10 : 1)
        }
        return whole * 100 + cents
    }

    /// A public key given as hex (66 characters) or as a key file whose public half is used.
    static func publicKey(_ text: String, suite: any CryptoSuite, option: String) throws(CLIFailure) -> PublicKey {
        if text.count == 66, text.allSatisfy(\.isHexDigit) {
            do { return try suite.publicKey(hex: text) } catch {
                throw .input("\(option): \(error)")
            }
        }
        do { return try KeyFile.load(from: text, expecting: suite.id).publicKey } catch {
            throw .input("\(option) takes a public key in hex (66 characters) or a key file: \(error)")
        }
    }

    static func hex(_ text: String, bytes: Int, option: String) throws(CLIFailure) -> [UInt8] {
        guard let decoded = Hex.decode(text), decoded.count == bytes else {
            throw .input("\(option) takes \(bytes * 2) hex characters, not \"\(text.prefix(80))\"")
        }
        return decoded
    }
}
