/// Account address: the first 20 bytes of the suite hash of the compressed public key.
public struct Address: FixedSizeBytes {
    public static let byteCount = 20

    public let bytes: [UInt8]

    public init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }

    /// Derives the address of a compressed SEC1 public key under `hash`.
    public init(publicKey: PublicKeyBytes, hash: some DigestFunction) {
        self.init(unchecked: Array(hash.digest(publicKey.bytes).bytes.prefix(Self.byteCount)))
    }
}

/// A transaction's identity: the suite hash of its canonical unsigned encoding.
public struct TxID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let digest: Digest

    public init(_ digest: Digest) {
        self.digest = digest
    }

    public var hex: String { digest.hex }
    public var description: String { digest.hex }

    public static func < (lhs: TxID, rhs: TxID) -> Bool { lhs.digest < rhs.digest }
}

/// Block height; the genesis block is height 0.
public struct Height: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }
    public init(integerLiteral value: UInt64) { self.value = value }

    public static let genesis = Height(0)

    /// The next height, or nil at the (unreachable in practice) top of the range.
    public var next: Height? {
        let (sum, overflow) = value.addingReportingOverflow(1)
        return overflow ? nil : Height(sum)
    }

    public var description: String { String(value) }

    public static func < (lhs: Height, rhs: Height) -> Bool { lhs.value < rhs.value }
}

/// A SEC1 compressed public key (33 bytes, prefix 02 or 03), the one form kept on
/// chain in both suites. Only the length and prefix are checked here; whether the
/// point is on the curve is the crypto suite's job.
public struct PublicKeyBytes: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 33

    public let bytes: [UInt8]

    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount, let first = bytes.first, first == 0x02 || first == 0x03 else {
            return nil
        }
        self.bytes = Array(bytes)
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}
