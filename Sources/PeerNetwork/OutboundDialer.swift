import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A dialed connection whose TLS handshake and server check may still be running.
struct DialedConnection: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, [UInt8]>
    /// The dialed peer's index once its certificate proved it; fails with a `HandshakeRefusal`.
    let identity: EventLoopFuture<Int>
}

/// How one dial attempt ended, for the backoff.
enum DialOutcome {
    case failed
    case lost(after: Duration)
}

extension PeerNetwork {
    /// Frames per write and bytes per write: small enough that a write's worth
    /// in flight is negligible next to the queue limits, large enough to batch
    /// syscalls when consensus bursts.
    static let writeBatchFrames = 256
    static let writeBatchBytes = 1 << 20

    /// One dial after another until the task is cancelled by shutdown; each
    /// pass sleeps at least half of `reconnectInitial`, so the loop is rate-bounded.
    func dialForever(_ peer: PeerAddress, contexts: TLSContexts) async {
        guard let link = links[peer.index] else { return }
        var backoff = Backoff(initial: configuration.reconnectInitial, maximum: configuration.reconnectMax)
        var attempts = 0
        while !Task.isCancelled {
            if attempts > 0 { counters.reconnects.count() }
            attempts += 1
            let outcome = await dialOnce(peer, link: link, contexts: contexts)
            if case let .lost(uptime) = outcome, uptime >= configuration.reconnectMax {
                // A link that held for a while was healthy: come back quickly. One
                // dropped at once (a peer refusing us after TLS 1.3 completes) keeps backing off.
                backoff.reset()
            }
            do {
                try await Task.sleep(for: backoff.next())
            } catch {
                return
            }
        }
    }

    private func dialOnce(_ peer: PeerAddress, link: OutboundLink, contexts: TLSContexts) async -> DialOutcome {
        let logger = peerLogger(peer)
        let connection: DialedConnection
        do {
            connection = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(configuration.handshakeTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .connect(host: peer.host, port: peer.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try self.makeOutboundPipeline(channel, peer: peer, contexts: contexts)
                    }
                }
        } catch {
            logger.debug("cannot connect to peer", metadata: ["error": "\(error)"])
            return .failed
        }
        let channel = connection.channel.channel
        do {
            // Always through executeThenClose, even when shutting down: it finishes
            // the NIO writer, whose deinit traps if nobody did.
            return try await connection.channel.executeThenClose { replies, outbound in
                guard registry.track(channel) else { return .failed }
                defer { registry.untrack(channel) }
                do {
                    _ = try await connection.identity.get()
                } catch {
                    noteRefusal(error, logger: logger)
                    return .failed
                }
                let doorbell = link.attach()
                let connectedAt = ContinuousClock.now
                logger.info("outbound link to peer up")
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await Self.watchForClose(replies, logger: logger) }
                    group.addTask { await self.drain(link, doorbell: doorbell, into: outbound, logger: logger) }
                    // Either side ending ends the link.
                    await group.next()
                    group.cancelAll()
                }
                counters.droppedNotConnected.count(link.detach())
                logger.info("outbound link to peer down")
                return .lost(after: connectedAt.duration(to: .now))
            }
        } catch {
            counters.droppedNotConnected.count(link.detach())
            logger.debug("outbound connection closed with an error", metadata: ["error": "\(error)"])
            return .failed
        }
    }

    private func peerLogger(_ peer: PeerAddress) -> Logger {
        var logger = self.logger
        logger[metadataKey: "peer"] = "\(peer.index)"
        logger[metadataKey: "remote"] = "\(peer.host):\(peer.port)"
        return logger
    }

    /// TLS, then the server check, then framing. Runs on the channel's event loop.
    private func makeOutboundPipeline(_ channel: any Channel, peer: PeerAddress, contexts: TLSContexts) throws -> DialedConnection {
        let identity = channel.eventLoop.makePromise(of: Int.self)
        do {
            let pipeline = channel.pipeline.syncOperations
            // No SNI: peers are not virtual hosts, and SNI cannot carry an IP address.
            try pipeline.addHandler(NIOSSLClientHandler(context: contexts.client, serverHostname: nil))
            try pipeline.addHandler(
                PeerAuthenticator(expected: .exactly(peer), timeout: configuration.handshakeTimeout, identity: identity))
            try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
            let wrapped = try NIOAsyncChannel<ByteBuffer, [UInt8]>(wrappingChannelSynchronously: channel)
            return DialedConnection(channel: wrapped, identity: identity.futureResult)
        } catch {
            identity.fail(error)
            throw error
        }
    }

    private func noteRefusal(_ error: any Error, logger: Logger) {
        switch error as? HandshakeRefusal {
        case .timedOut, .closedDuringHandshake:
            // The peer is down or restarting, not lying about who it is.
            logger.debug("handshake with peer did not complete", metadata: ["reason": "\(error)"])
        default:
            logger.warning("refused the dialed peer", metadata: ["reason": "\(error)"])
            counters.refusedServers.count()
        }
    }

    /// Peers never send on the connection we dialed; returns when it closes
    /// (or is cancelled), or at once if the server speaks out of turn.
    private static func watchForClose(_ replies: NIOAsyncChannelInboundStream<ByteBuffer>, logger: Logger) async {
        do {
            for try await _ in replies {
                logger.warning("peer sent data on our outbound connection; closing it")
                return
            }
        } catch {
            logger.debug("outbound connection error", metadata: ["error": "\(error)"])
        }
    }

    /// Moves queued frames onto the socket. The NIO writer suspends while the
    /// socket is not writable, so a slow peer stalls only its own queue, which
    /// then fills and drops at its limits.
    private func drain(
        _ link: OutboundLink, doorbell: AsyncStream<Void>, into outbound: NIOAsyncChannelOutboundWriter<[UInt8]>,
        logger: Logger
    ) async {
        // Ends when the link is detached or the task cancelled.
        for await _ in doorbell {
            // Each pass takes at least one frame; the queue is bounded, so this
            // ends unless `send` keeps refilling it, which is the point.
            while true {
                let batch = link.takeBatch(maxFrames: Self.writeBatchFrames, maxBytes: Self.writeBatchBytes)
                if batch.frames.isEmpty { break }
                do {
                    try await outbound.write(contentsOf: batch.frames)
                } catch {
                    logger.debug("write to peer failed", metadata: ["error": "\(error)"])
                    return
                }
                link.batchWritten(batch)
                counters.framesSent.count(batch.frames.count)
                counters.bytesSent.count(batch.bytes)
            }
        }
    }
}
