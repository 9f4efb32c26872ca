import Logging
import NodeAPI
import PeerNetwork
import ServiceLifecycle

public enum NodeRunError: Error, Sendable, CustomStringConvertible {
    case network(String)
    case stopped(String)

    public var description: String {
        switch self {
        case let .network(message): "peer network: \(message)"
        case let .stopped(reason): "node stopped: \(reason)"
        }
    }
}

/// The node as a ServiceLifecycle service: runs until graceful shutdown
/// (SIGTERM, SIGINT) or until it cannot go on safely, then stops its timers
/// and closes its peer links. The store is closed by `close()`, after the API
/// has stopped too.
extension CivicNode: Service {
    public func run() async throws {
        do {
            let port = try await network.start()
            logger.info("peer network listening", metadata: ["port": "\(port)"])
        } catch {
            throw NodeRunError.network("\(error)")
        }
        await driver.start()
        let driver = self.driver
        let network = self.network
        let transport = self.transport
        let observer = self.observer
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in network.inbound {
                        transport.observeInbound(frame.bytes, from: frame.peer)
                        await driver.receive(frame.bytes, from: frame.peer)
                    }
                    // The stream ends only after the network shut down; unless
                    // that was asked for, the node cannot go on.
                    if !Task.isCancelled { throw NodeRunError.stopped("the peer network stopped delivering frames") }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(250))
                        await driver.tick()
                        observer.connectedPeers(network.connectedPeers().count)
                        observer.peerNetwork(network.statistics())
                        if let failure = await driver.failure { throw NodeRunError.stopped(failure) }
                    }
                }
                group.addTask {
                    try await gracefulShutdown()
                }
                // The first task to end (shutdown requested, or a failure) ends them all.
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
        } catch {
            await shutdown()
            throw error
        }
        await shutdown()
    }

    /// Stops consensus and the peer links. The store stays open for the API,
    /// which may still be answering; `close()` releases it once every service
    /// of the process has stopped.
    private func shutdown() async {
        logger.info("node shutting down")
        await driver.stop()
        await network.shutdown()
    }

    /// Closes the store. Call after the node and the API have stopped.
    public func close() {
        store.close()
    }

    /// The backend the HTTP API serves.
    public var apiBackend: any NodeBackend { backend }
}
