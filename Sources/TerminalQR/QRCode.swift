import CQREncode
#if canImport(Glibc)
import Glibc
#endif

/// A QR code symbol encoded by libqrencode, held as a plain matrix so that
/// rendering (terminal, PNG) needs no C calls. Counters (窗口) show consent
/// requests this way for the holder to scan (扫码授权).
public struct QRCode: Sendable, Equatable {
    public enum ErrorCorrection: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: return QR_ECLEVEL_L
            case .medium: return QR_ECLEVEL_M
            case .quartile: return QR_ECLEVEL_Q
            case .high: return QR_ECLEVEL_H
            }
        }

        /// Byte-mode capacity of the largest symbol (version 40), ISO/IEC 18004 Table 7.
        var capacity: Int {
            switch self {
            case .low: return 2953
            case .medium: return 2331
            case .quartile: return 1663
            case .high: return 1273
            }
        }
    }

    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(bytes: Int, limit: Int)
        case encoder(errno: Int32)

        public var description: String {
            switch self {
            case .empty: return "nothing to encode"
            case let .tooLong(bytes, limit): return "\(bytes) bytes do not fit in a QR code (limit \(limit) at this error correction)"
            case let .encoder(code): return "libqrencode failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// Modules per side (21 for version 1, up to 177 for version 40).
    public let width: Int
    public let version: Int
    /// Row-major; true is a dark module.
    private let modules: [Bool]

    public init(text: String, correction: ErrorCorrection = .medium) throws(Failure) {
        let bytes = text.utf8.count
        guard bytes > 0 else { throw .empty }
        guard bytes <= correction.capacity else { throw .tooLong(bytes: bytes, limit: correction.capacity) }
        // Byte mode (QR_MODE_8) keeps UTF-8 text intact; version 0 picks the smallest symbol.
        guard let symbol = QRcode_encodeString8bit(text, 0, correction.level) else { throw .encoder(errno: errno) }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        let data = UnsafeBufferPointer(start: symbol.pointee.data, count: width * width)
        // libqrencode: bit 0 of each byte is the module colour; other bits describe its role.
        self.modules = data.map { $0 & 1 == 1 }
        self.width = width
        self.version = Int(symbol.pointee.version)
    }

    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<width).contains(row), (0..<width).contains(column) else { return false }
        return modules[row * width + column]
    }

    /// Two module rows per text line using half blocks, inside the 4-module
    /// quiet zone scanners need. Dark modules print as spaces on a light
    /// background unless `invert` (for dark-on-light terminals).
    public func renderForTerminal(invert: Bool = false) -> String {
        let quiet = 4
        let range = -quiet..<(width + quiet)
        var lines: [String] = []
        var row = -quiet
        // Two rows per line; the loop ends after (width + 8) / 2 lines.
        while row < width + quiet {
            var line = ""
            for column in range {
                let top = isDark(row: row, column: column) != invert
                let bottom = isDark(row: row + 1, column: column) != invert
                switch (top, bottom) {
                case (true, true): line.append(" ")
                case (true, false): line.append("▄")
                case (false, true): line.append("▀")
                case (false, false): line.append("█")
                }
            }
            lines.append(line)
            row += 2
        }
        return lines.joined(separator: "\n")
    }
}
