import Testing
import TerminalQR

@Suite("QR codes through libqrencode")
struct QRCodeTests {
    /// A finder pattern: a 7x7 dark ring, a light ring, and a dark 3x3 centre.
    func hasFinder(_ code: QRCode, row: Int, column: Int) -> Bool {
        for r in 0..<7 {
            for c in 0..<7 {
                let ring = max(abs(r - 3), abs(c - 3))
                let expectedDark = ring != 2
                if code.isDark(row: row + r, column: column + c) != expectedDark { return false }
            }
        }
        return true
    }

    @Test("Short text gives a version-1 symbol with its three finder patterns")
    func version1() throws {
        let code = try QRCode(text: "HELLO")
        #expect(code.version == 1)
        #expect(code.width == 21)
        #expect(hasFinder(code, row: 0, column: 0))
        #expect(hasFinder(code, row: 0, column: 14))
        #expect(hasFinder(code, row: 14, column: 0))
        #expect(!hasFinder(code, row: 14, column: 14))
    }

    @Test("Longer UTF-8 payloads grow the symbol; width is 17 + 4 × version")
    func larger() throws {
        let payload = "civic:consent-request:v1:" + String(repeating: "营业执照", count: 20)
        let code = try QRCode(text: payload)
        #expect(code.version > 1)
        #expect(code.width == 17 + 4 * code.version)
        #expect(try QRCode(text: payload) == code)
    }

    @Test("Empty and oversized inputs are refused with a typed error")
    func refusals() {
        #expect(throws: QRCode.Failure.empty) { try QRCode(text: "") }
        #expect(throws: QRCode.Failure.tooLong(bytes: 3000, limit: 2331)) {
            try QRCode(text: String(repeating: "a", count: 3000))
        }
        #expect(throws: Never.self) { try QRCode(text: String(repeating: "a", count: 2953), correction: .low) }
    }

    @Test("Terminal rendering has two module rows per line inside a 4-module quiet zone")
    func rendering() throws {
        let code = try QRCode(text: "HELLO")
        let lines = code.renderForTerminal().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == (code.width + 8 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == code.width + 8 })
        // The first line is all quiet zone: light modules only.
        #expect(lines[0].allSatisfy { $0 == "█" })
        #expect(code.renderForTerminal(invert: true) != code.renderForTerminal())
    }
}
