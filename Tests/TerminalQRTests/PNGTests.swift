import CPNG
import Foundation
import Testing
import TerminalQR

@Suite("QR codes as PNG images")
struct PNGTests {
    /// Reads a PNG back as 8-bit grey with libpng's simplified API.
    func readGrey(_ path: String) -> (width: Int, height: Int, bytes: [UInt8])? {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else { return nil }
        image.format = UInt32(PNG_FORMAT_GRAY)
        var bytes = [UInt8](repeating: 0, count: Int(image.width * image.height))
        let ok = bytes.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else { return nil }
        return (Int(image.width), Int(image.height), bytes)
    }

    @Test("The image decodes to exactly the modules, scaled, inside the quiet zone")
    func roundTrip() throws {
        let code = try QRCode(text: "civicledger:consent?v=1&chain=civic-devnet")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try code.writePNG(to: path, scale: 3)
        let image = try #require(readGrey(path))
        let side = (code.width + 8) * 3
        #expect(image.width == side && image.height == side)
        #expect(image.bytes == code.pixels(scale: 3).bytes)
        // Spot checks against the symbol itself: the top-left finder's corner is dark, the quiet zone light.
        #expect(image.bytes[(4 * 3) * side + 4 * 3] == 0)
        #expect(image.bytes[0] == 0xFF)
    }

    @Test("A bad scale or an unwritable path is a clear error")
    func failures() throws {
        let code = try QRCode(text: "x")
        #expect(throws: QRCode.PNGFailure.badScale(0)) { try code.writePNG(to: "/tmp/never.png", scale: 0) }
        #expect {
            try code.writePNG(to: "/nonexistent-dir/qr.png")
        } throws: { error in
            guard case let .write(path, _)? = error as? QRCode.PNGFailure else { return false }
            return path == "/nonexistent-dir/qr.png"
        }
    }
}
