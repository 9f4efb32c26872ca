import PeerNetwork
import Synchronization

/// Waits for an event that must happen, polling `condition` every 10 ms. The
/// bound only turns a hang into a failure, it never measures speed, and it is
/// counted in polls, not in wall-clock time: on the 2-core CI machine a test's
/// task can go unscheduled for most of a minute while other tests compute on
/// the cooperative pool, and that time must not count against it.
func waitUntil(
    _ what: String, within limit: Duration = .seconds(30), _ condition: @Sendable () -> Bool
) async throws {
    let polls = Int(limit / .milliseconds(10))
    // Bounded by the poll count.
    for _ in 0..<polls {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    if condition() { return }
    throw TestFailure("gave up after \(polls) polls (\(limit) of the test's own time) waiting until \(what)")
}

/// Collects everything a network delivers on `inbound`, from a task that runs
/// until the network shuts down.
final class Inbox: Sendable {
    private final class Store: Sendable {
        let frames = Mutex<[InboundFrame]>([])
    }

    private let store = Store()
    private let consumer: Task<Void, Never>

    init(_ network: PeerNetwork) {
        let store = self.store
        consumer = Task {
            for await frame in network.inbound {
                store.frames.withLock { $0.append(frame) }
            }
        }
    }

    var all: [InboundFrame] { store.frames.withLock { $0 } }

    func from(_ peer: Int) -> [[UInt8]] { all.filter { $0.peer == peer }.map(\.bytes) }

    func count(from peer: Int) -> Int { store.frames.withLock { $0.count { $0.peer == peer } } }

    func waitFor(_ count: Int, from peer: Int, within limit: Duration = .seconds(30)) async throws {
        try await waitUntil("\(count) frames arrived from peer \(peer)", within: limit) { self.count(from: peer) >= count }
    }

    deinit { consumer.cancel() }
}

/// Distinct payloads: who sent it, to whom, and its sequence number.
func payload(from sender: Int, to receiver: Int, _ sequence: Int, size: Int = 32) -> [UInt8] {
    let label = Array("\(sender)->\(receiver)#\(sequence);".utf8)
    return label + [UInt8](repeating: UInt8(truncatingIfNeeded: sequence), count: max(0, size - label.count))
}
