/// SplitMix64 (Steele, Lea and Flood, 2014): small and fully determined by its
/// seed, so any randomized test or simulation can be replayed from the seed alone.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    /// Favours boundary values, where DER integer encodings change length.
    public mutating func boundaryUInt64() -> UInt64 {
        switch Int.random(in: 0..<4, using: &self) {
        case 0: return [0, 1, 127, 128, 255, 256, UInt64(Int64.max), UInt64.max].randomElement(using: &self)!
        case 1: return UInt64.random(in: 0...300, using: &self)
        default: return next() >> UInt64.random(in: 0...63, using: &self)
        }
    }
}
