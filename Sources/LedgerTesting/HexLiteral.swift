import LedgerCore

/// Bytes from a hex literal in a test vector; a typo in a vector stops the run.
public func hex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text) else { preconditionFailure("bad hex literal in test: \(text)") }
    return bytes
}
