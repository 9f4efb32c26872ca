import LedgerCrypto

/// Keys the targets and their seeds share, made from fixed scalars so a seed
/// signed with them passes a target's signature checks on every run. Public
/// by construction: never use them for anything but fuzzing.
enum FixedKeys {
    /// The standard-suite key whose scalar is 32 bytes of `byte` (1 to 255).
    static func key(_ byte: UInt8) throws -> PrivateKey {
        try CryptoSuites.standard.privateKey(rawScalar: [UInt8](repeating: byte, count: 32))
    }

    /// Four validators' node keys (scalars 1 to 4).
    static func validators() throws -> [PrivateKey] { try (1...4).map { try key(UInt8($0)) } }
}
