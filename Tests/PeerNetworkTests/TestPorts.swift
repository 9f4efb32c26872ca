#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Free TCP ports on 127.0.0.1, for clusters whose peer lists must name every
/// node's port before any node starts.
///
/// The kernel picks each port (bind to port 0), the socket is closed, and the
/// number is never handed out twice in this process, so tests running in
/// parallel cannot collide with each other. Another process could still grab a
/// port in the short gap before the node binds it; the listener's bind would
/// then fail loudly, never silently.
enum TestPorts {
    private static let handedOut = Mutex(Set<Int>())

    static func reserve(_ count: Int) -> [Int] {
        var ports: [Int] = []
        // Bounded: each pass either yields a new port or retries a duplicate.
        for _ in 0..<(count * 20) where ports.count < count {
            let port = kernelChosenPort()
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { ports.append(port) }
        }
        precondition(ports.count == count, "could not reserve \(count) distinct ports")
        return ports
    }

    private static func kernelChosenPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        precondition(bound == 0, "bind() failed")
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        precondition(named == 0, "getsockname() failed")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
