import LedgerCore

/// A private scalar for one suite. Construct through a suite, which checks the range.
///
/// Printing, debugging and reflection (`dump`, string interpolation) show only
/// the suite and public key, so a key that reaches a log line leaks nothing.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let suite: SuiteID
    /// Big-endian 32-byte scalar; only key files and signing read it.
    let scalar: [UInt8]
    /// Kept so that signing and key files need no point multiplication.
    public let publicKey: PublicKey

    init(suite: SuiteID, scalar: [UInt8], publicKey: PublicKey) {
        precondition(scalar.count == 32 && publicKey.suite == suite)
        self.suite = suite
        self.scalar = scalar
        self.publicKey = publicKey
    }

    public var description: String { "PrivateKey(\(suite), public \(publicKey.hex), scalar redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["suite": suite, "publicKey": publicKey], displayStyle: .struct)
    }
}

/// A public key whose point was checked to lie on the suite's curve.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    public let suite: SuiteID
    /// SEC1 compressed form, as kept on chain and printed by the CLI.
    public let compressed: PublicKeyBytes
    /// SEC1 uncompressed form (65 bytes), as written in key files.
    public let uncompressed: [UInt8]

    init(suite: SuiteID, compressed: PublicKeyBytes, uncompressed: [UInt8]) {
        precondition(uncompressed.count == 65 && uncompressed[0] == 0x04)
        self.suite = suite
        self.compressed = compressed
        self.uncompressed = uncompressed
    }

    public var hex: String { compressed.hex }
    public var description: String { "\(suite):\(compressed.hex)" }
}
