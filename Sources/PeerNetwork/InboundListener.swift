import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// An accepted connection whose TLS handshake and peer check may still be running.
struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<[UInt8], Never>
    /// The authenticated peer index; fails with a `HandshakeRefusal`.
    let identity: EventLoopFuture<Int>
}

typealias Listener = NIOAsyncChannel<AcceptedConnection, Never>

extension PeerNetwork {
    func bindListener(contexts: TLSContexts) async throws(PeerNetworkError) -> Listener {
        let host = configuration.listenHost
        let port = configuration.listenPort
        do {
            return try await ServerBootstrap(group: group)
                // Lets a restarted node bind its port while old connections sit in TIME_WAIT.
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try self.makeInboundPipeline(channel, contexts: contexts)
                    }
                }
        } catch {
            throw .bindFailed(host: host, port: port, reason: String(describing: error))
        }
    }

    /// TLS, then the peer check, then framing. Runs on the channel's event loop.
    private func makeInboundPipeline(_ channel: any Channel, contexts: TLSContexts) throws -> AcceptedConnection {
        let identity = channel.eventLoop.makePromise(of: Int.self)
        do {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(NIOSSLServerHandler(context: contexts.server))
            try pipeline.addHandler(
                PeerAuthenticator(
                    expected: .anyPeerOf(directory), timeout: configuration.handshakeTimeout, identity: identity))
            try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limit: configuration.maxFrameBytes)))
            let frames = try NIOAsyncChannel<[UInt8], Never>(wrappingChannelSynchronously: channel)
            return AcceptedConnection(channel: frames, identity: identity.futureResult)
        } catch {
            // Before the authenticator is in place nobody else would complete the promise.
            identity.fail(error)
            throw error
        }
    }

    func acceptConnections(_ listener: Listener) async {
        do {
            try await listener.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        // Ends when the listener closes or the task is cancelled (shutdown).
                        for try await connection in connections {
                            guard registry.beginHandshake(limit: configuration.maxPendingHandshakes) else {
                                refuseOverLimit(connection)
                                continue
                            }
                            connection.identity.whenComplete { _ in self.registry.endHandshake() }
                            group.addTask { await self.serve(connection) }
                        }
                    } catch is CancellationError {
                        // shutdown()
                    } catch {
                        logger.error("peer listener failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch {
            logger.debug("peer listener closed with an error", metadata: ["error": "\(error)"])
        }
    }

    private func refuseOverLimit(_ connection: AcceptedConnection) {
        logger.warning(
            "refused inbound connection",
            metadata: [
                "remote": "\(connection.channel.channel.remoteAddress.map { "\($0)" } ?? "?")",
                "reason": "\(HandshakeRefusal.tooManyPendingHandshakes(limit: configuration.maxPendingHandshakes))",
            ])
        counters.refusedHandshakes.count()
        connection.channel.channel.close(promise: nil)
    }

    /// Waits for the peer check, then delivers the connection's frames until it closes.
    private func serve(_ connection: AcceptedConnection) async {
        let channel = connection.channel.channel
        var logger = self.logger
        logger[metadataKey: "remote"] = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
        do {
            try await connection.channel.executeThenClose { frames, _ in
                guard registry.track(channel) else { return }
                defer { registry.untrack(channel) }
                let peer: Int
                do {
                    peer = try await connection.identity.get()
                } catch {
                    // Logged before counted: whoever sees the count can find the reason.
                    logger.warning("refused inbound connection", metadata: ["reason": "\(error)"])
                    counters.refusedHandshakes.count()
                    return
                }
                logger[metadataKey: "peer"] = "\(peer)"
                if let previous = registry.replaceInbound(peer: peer, with: channel) {
                    logger.info("inbound connection replaces the peer's earlier one")
                    previous.close(promise: nil)
                }
                defer { registry.removeInbound(peer: peer, channel: channel) }
                logger.info("inbound peer connected")
                await deliver(frames, from: peer, logger: logger)
            }
        } catch {
            logger.debug("inbound connection closed with an error", metadata: ["error": "\(error)"])
        }
    }

    private func deliver(_ frames: NIOAsyncChannelInboundStream<[UInt8]>, from peer: Int, logger: Logger) async {
        do {
            // Ends when the connection closes or the task is cancelled (shutdown).
            for try await payload in frames {
                counters.framesReceived.count()
                counters.bytesReceived.count(payload.count)
                if case .dropped = inboundContinuation.yield(InboundFrame(peer: peer, bytes: payload)) {
                    counters.droppedInboundFull.count()
                }
            }
            logger.info("inbound peer disconnected")
        } catch let error as FrameError {
            logger.warning("closing inbound connection: malformed frame", metadata: ["reason": "\(error)"])
            counters.malformedFrames.count()
        } catch {
            logger.info("inbound peer connection lost", metadata: ["error": "\(error)"])
        }
    }
}
