import NIOCore

/// Why a peer's byte stream was refused; the connection is closed, the rest of
/// the network carries on.
enum FrameError: Error, Equatable, CustomStringConvertible {
    case emptyFrame
    case frameTooLarge(length: Int, limit: Int)

    var description: String {
        switch self {
        case .emptyFrame:
            return "frame length 0"
        case let .frameTooLarge(length, limit):
            return "frame length \(length) is over the limit of \(limit) bytes"
        }
    }
}

/// The wire format: a 4-byte big-endian payload length, then the payload.
/// Lengths of 0 and over the limit are refused as soon as the 4 header bytes
/// are in, so a peer can never make us buffer more than one legal frame.
enum FrameFormat {
    static let headerBytes = 4

    /// The next complete payload in `buffer`, consuming it; nil when more bytes are needed.
    static func nextPayload(from buffer: inout ByteBuffer, limit: Int) throws(FrameError) -> [UInt8]? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard length > 0 else { throw .emptyFrame }
        // Compared as UInt64: UInt32.max does not fit an Int on 32-bit platforms.
        guard UInt64(length) <= UInt64(limit) else { throw .frameTooLarge(length: Int(clamping: length), limit: limit) }
        guard buffer.readableBytes - headerBytes >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: headerBytes)
        return buffer.readBytes(length: Int(length))
    }
}

/// Splits a peer's TLS plaintext into payloads for `ByteToMessageHandler`.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]
    let limit: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let payload = try FrameFormat.nextPayload(from: &buffer, limit: limit) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(payload))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A frame cut short by the peer closing is lost with the connection; consensus retransmits.
        try decode(context: context, buffer: &buffer)
    }
}
