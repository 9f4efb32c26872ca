import CLISupport
import LedgerCore

/// Decodes a hex command-line value, naming the option when it is not hex.
func decodeHex(_ text: String, option: String) throws(CLIFailure) -> [UInt8] {
    guard let bytes = Hex.decode(text.trimmingWhitespace()) else {
        throw .input("\(option) is not hexadecimal (expected an even number of 0-9a-f digits)")
    }
    return bytes
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
