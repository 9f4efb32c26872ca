import CLISupport
import Foundation
import Hummingbird
import Logging
import NodeAPI
import NodeRuntime
import ServiceLifecycle

/// Starts a node from its configuration: logging, metrics, the node and its
/// HTTP API under one service group. Shared by `civic-node` and the test-only
/// `civic-byzantine-node`, so the misbehaving node runs exactly the real one.
public enum NodeLauncher {
    public static func load(_ path: String) throws -> NodeConfiguration {
        do { return try NodeConfigFile.load(path: path) } catch { throw CLIFailure.input("\(error)") }
    }

    /// Runs until SIGTERM or SIGINT. `wrapTransport` (tests only) sees and may
    /// rewrite everything the node sends its peers.
    public static func run(_ configuration: NodeConfiguration, wrapTransport: PeerTransportWrapper? = nil) async throws {
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "civic-node")
        logger[metadataKey: "node"] = "\(configuration.name)"
        let metrics = NodeMetrics()
        var observer = NodeObserver()
        observer.blockApplied = { height, transactions in metrics.blockApplied(height: height, transactions: transactions) }
        observer.viewChanged = { view in metrics.viewChanged(to: view) }
        observer.mempoolSize = { count in metrics.setMempoolSize(count) }
        observer.connectedPeers = { count in metrics.setConnectedPeers(count) }
        observer.peerOffence = { peer, reason in metrics.peerOffence(peer: peer, reason: reason) }
        observer.peerNetwork = { statistics in
            metrics.peerFrameTotals(
                sent: statistics.framesSent, received: statistics.framesReceived,
                dropped: [
                    ("outboundQueueFull", statistics.droppedQueueFull), ("notConnected", statistics.droppedNotConnected),
                    ("invalidSize", statistics.droppedInvalidSize), ("inboundQueueFull", statistics.droppedInboundFull),
                ])
        }
        let node: CivicNode
        do {
            node = try CivicNode.open(configuration, logger: logger, observer: observer, wrapTransport: wrapTransport)
        } catch {
            throw CLIFailure.input("\(error)")
        }
        let apiLogger = {
            var logger = Logger(label: "civic-node.api")
            logger[metadataKey: "node"] = "\(configuration.name)"
            return logger
        }()
        let api = makeAPIServer(
            backend: node.apiBackend, metrics: metrics,
            configuration: APIConfiguration(
                host: configuration.apiListen.host, port: configuration.apiListen.port,
                signedRequestsPerSecond: configuration.signedRequestsPerSecond, signedRequestBurst: configuration.signedRequestBurst),
            logger: apiLogger,
            onServerRunning: { port in apiLogger.info("HTTP API listening", metadata: ["port": "\(port)"]) })
        // The API stops first (no new requests), then the node, so no request
        // meets a closed store.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: node), .init(service: api)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
            node.close()
        } catch {
            node.close()
            logger.critical("stopped: \(error)")
            // A peer port that cannot be bound is a start-up error like a bad
            // configuration (exit 2); anything later is a fault (exit 1).
            if case NodeRunError.network = error { throw CLIFailure(message: "\(error)", exitCode: 2) }
            throw CLIFailure(message: "\(error)", exitCode: 1)
        }
    }
}
