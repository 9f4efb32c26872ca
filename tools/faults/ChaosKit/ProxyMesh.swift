import NIOCore
import NIOPosix

/// One `LinkProxy` per directed pair of nodes: node A's configuration names
/// the proxy `port(from: A, to: B)` as B's address, so every byte between
/// two nodes passes a link the campaign can cut.
public final class ProxyMesh: Sendable {
    public let nodeCount: Int
    public let basePort: Int
    /// Keyed by `from * 100 + to` (1-based node numbers).
    private let links: [Int: LinkProxy]
    private let serving: [Task<Void, Never>]

    /// The port of the proxy node `from` dials to reach node `to`.
    public static func port(base: Int, from: Int, to: Int) -> Int { base + from * 10 + to }

    /// Starts a proxy for every ordered pair; `peerPort(n)` is node n's real listening port.
    /// `ephemeral` binds each proxy to any free port instead of `port(base:from:to:)`
    /// (for tests, which must not depend on fixed ports being free).
    public init(
        nodeCount: Int, basePort: Int, host: String = "127.0.0.1", peerPort: (Int) -> Int, ephemeral: Bool = false
    ) async throws {
        precondition((2...9).contains(nodeCount), "ports are numbered base + from*10 + to: at most 9 nodes")
        self.nodeCount = nodeCount
        self.basePort = basePort
        var links: [Int: LinkProxy] = [:]
        var serving: [Task<Void, Never>] = []
        for from in 1...nodeCount {
            for to in 1...nodeCount where to != from {
                let link = LinkProxy(upstreamHost: host, upstreamPort: peerPort(to))
                let (_, task) = try await link.start(host: host, port: ephemeral ? 0 : Self.port(base: basePort, from: from, to: to))
                links[from * 100 + to] = link
                serving.append(task)
            }
        }
        self.links = links
        self.serving = serving
    }

    public func link(from: Int, to: Int) -> LinkProxy? { links[from * 100 + to] }

    /// Cuts every link between `group` and the other nodes, both ways.
    public func separate(_ group: Set<Int>) {
        for from in 1...nodeCount {
            for to in 1...nodeCount where to != from && group.contains(from) != group.contains(to) {
                links[from * 100 + to]?.cut()
            }
        }
    }

    public func healAll() {
        for link in links.values { link.heal() }
    }

    /// Whether traffic can flow from `from` to `to` right now.
    public func isOpen(from: Int, to: Int) -> Bool { links[from * 100 + to]?.isOpen ?? false }

    public var refusedConnections: Int { links.values.map(\.counts.refused).reduce(0, +) }

    public func shutdown() {
        for link in links.values { link.shutdown() }
        for task in serving { task.cancel() }
    }
}
