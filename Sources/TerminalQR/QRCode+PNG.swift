import CPNG
#if canImport(Glibc)
import Glibc
#endif

extension QRCode {
    public enum PNGFailure: Error, Equatable, Sendable, CustomStringConvertible {
        case badScale(Int)
        case write(path: String, message: String)

        public var description: String {
            switch self {
            case let .badScale(scale): return "a QR image scale is 1 to 64 pixels per module, not \(scale)"
            case let .write(path, message): return "cannot write \(path): \(message)"
            }
        }
    }

    /// The symbol as 8-bit greyscale pixels, `scale` pixels per module, with the
    /// 4-module quiet zone; dark modules are black.
    public func pixels(scale: Int) -> (side: Int, bytes: [UInt8]) {
        let quiet = 4
        let side = (width + 2 * quiet) * scale
        var bytes = [UInt8](repeating: 0xFF, count: side * side)
        for row in 0..<width {
            for column in 0..<width where isDark(row: row, column: column) {
                for dy in 0..<scale {
                    let start = ((row + quiet) * scale + dy) * side + (column + quiet) * scale
                    for dx in 0..<scale { bytes[start + dx] = 0 }
                }
            }
        }
        return (side, bytes)
    }

    /// Writes the symbol as a greyscale PNG (libpng's simplified API).
    public func writePNG(to path: String, scale: Int = 8) throws(PNGFailure) {
        guard (1...64).contains(scale) else { throw .badScale(scale) }
        let (side, bytes) = pixels(scale: scale)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(side)
        image.height = UInt32(side)
        image.format = UInt32(PNG_FORMAT_GRAY)
        let written = bytes.withUnsafeBytes { buffer in
            png_image_write_to_file(&image, path, 0, buffer.baseAddress, Int32(side), nil)
        }
        if written == 0 {
            let message = withUnsafeBytes(of: image.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            png_image_free(&image)
            throw .write(path: path, message: message.isEmpty ? "libpng failed" : message)
        }
    }
}
