import NIOCore
@testable import PeerNetwork
import Testing

@Suite("Frame format")
struct FrameFormatTests {
    private func frame(_ payload: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer()
        try? FrameEncoder().encode(data: payload, out: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("The encoder writes a 4-byte big-endian length, then the payload")
    func encoding() {
        #expect(frame([0xaa, 0xbb]) == [0, 0, 0, 2, 0xaa, 0xbb])
        #expect(frame([UInt8](repeating: 7, count: 0x0102)).prefix(4) == [0, 0, 1, 2])
    }

    @Test("Frames fed one byte at a time come out whole and in order")
    func byteByByte() throws {
        let payloads: [[UInt8]] = [[1], [2, 3, 4], [UInt8](repeating: 9, count: 300)]
        var buffer = ByteBuffer()
        var decoded: [[UInt8]] = []
        for byte in payloads.flatMap(frame) {
            buffer.writeInteger(byte)
            while let payload = try FrameFormat.nextPayload(from: &buffer, limit: 1000) {
                decoded.append(payload)
            }
        }
        #expect(decoded == payloads)
        #expect(buffer.readableBytes == 0)
    }

    @Test("A frame of exactly the limit is accepted, one byte more is refused from its header alone")
    func limit() throws {
        var exact = ByteBuffer(bytes: frame([UInt8](repeating: 1, count: 64)))
        #expect(try FrameFormat.nextPayload(from: &exact, limit: 64)?.count == 64)

        // Only the header has arrived: refused before any payload is buffered.
        var over = ByteBuffer(bytes: [0, 0, 0, 65])
        #expect(throws: FrameError.frameTooLarge(length: 65, limit: 64)) {
            try FrameFormat.nextPayload(from: &over, limit: 64)
        }
        var huge = ByteBuffer(bytes: [0xff, 0xff, 0xff, 0xff])
        #expect(throws: FrameError.frameTooLarge(length: Int(UInt32.max), limit: 32 << 20)) {
            try FrameFormat.nextPayload(from: &huge, limit: 32 << 20)
        }
    }

    @Test("A zero length is refused")
    func empty() {
        var zero = ByteBuffer(bytes: [0, 0, 0, 0, 1, 2])
        #expect(throws: FrameError.emptyFrame) { try FrameFormat.nextPayload(from: &zero, limit: 64) }
    }

    @Test("An incomplete header or payload waits for more bytes")
    func incomplete() throws {
        var header = ByteBuffer(bytes: [0, 0, 0])
        #expect(try FrameFormat.nextPayload(from: &header, limit: 64) == nil)
        var partial = ByteBuffer(bytes: [0, 0, 0, 3, 1, 2])
        #expect(try FrameFormat.nextPayload(from: &partial, limit: 64) == nil)
        #expect(partial.readableBytes == 6)
        partial.writeInteger(UInt8(3))
        #expect(try FrameFormat.nextPayload(from: &partial, limit: 64) == [1, 2, 3])
    }
}
