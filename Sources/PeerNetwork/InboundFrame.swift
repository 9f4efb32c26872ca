/// One frame's payload from an authenticated peer; `peer` is that peer's index,
/// established from its certificate's genesis key binding, never from its address.
public struct InboundFrame: Sendable, Hashable {
    public let peer: Int
    public let bytes: [UInt8]

    public init(peer: Int, bytes: [UInt8]) {
        self.peer = peer
        self.bytes = bytes
    }
}
