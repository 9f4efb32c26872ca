import LedgerTesting
import Testing

@Suite("Test support")
struct SeededGeneratorTests {
    @Test("SplitMix64 matches the reference implementation for seed 1234567")
    func reference() {
        var rng = SeededGenerator(seed: 1_234_567)
        let first = (0..<5).map { _ in rng.next() }
        #expect(first == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test("The same seed replays the same bytes")
    func replay() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        #expect(a.bytes(100) == b.bytes(100))
        #expect(hex("00ff") == [0x00, 0xff])
    }
}
