import NIOCore

/// Prefixes each outbound payload with its 4-byte big-endian length.
/// `PeerNetwork.send` has already refused empty and oversized payloads.
struct FrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = [UInt8]

    func encode(data: [UInt8], out: inout ByteBuffer) throws {
        out.reserveCapacity(minimumWritableBytes: FrameFormat.headerBytes + data.count)
        out.writeInteger(UInt32(data.count), endianness: .big)
        out.writeBytes(data)
    }
}
