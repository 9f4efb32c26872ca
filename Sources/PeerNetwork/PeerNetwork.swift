import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The TLS 1.3 mutually authenticated transport between the bureau nodes.
///
/// Every node dials every other node and sends only on its own outbound
/// connection; connections it accepts are used only for receiving (two TCP
/// connections per pair, so there is nothing to tie-break). A peer's index
/// comes from the genesis key bound in its certificate, never from its address.
public final class PeerNetwork: Sendable {
    let configuration: PeerNetworkConfiguration
    let logger: Logger
    let group: any EventLoopGroup
    let directory: PeerDirectory
    let links: [Int: OutboundLink]
    let counters = StatisticsCounters()
    let registry = ConnectionRegistry()
    let inboundContinuation: AsyncStream<InboundFrame>.Continuation
    private let inboundStream: AsyncStream<InboundFrame>
    private let lifecycle = Mutex(Lifecycle.idle)

    private enum Lifecycle {
        case idle
        case starting
        case running(task: Task<Void, Never>, listener: any Channel)
        case stopped(task: Task<Void, Never>?)
    }

    /// `eventLoopGroup` is not shut down by `shutdown()`: it belongs to the caller.
    public init(
        configuration: PeerNetworkConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.logger = logger
        self.group = eventLoopGroup
        self.directory = PeerDirectory(selfIndex: configuration.selfIndex, peers: configuration.peers)
        var links: [Int: OutboundLink] = [:]
        for peer in configuration.peers where peer.index != configuration.selfIndex {
            links[peer.index] = OutboundLink(
                peer: peer, frameLimit: configuration.outboundQueueFrames, byteLimit: configuration.outboundQueueBytes)
        }
        self.links = links
        // Oldest kept, newest dropped: what is already buffered is what the consumer will see next.
        (inboundStream, inboundContinuation) = AsyncStream.makeStream(
            of: InboundFrame.self, bufferingPolicy: .bufferingOldest(max(1, configuration.inboundBufferFrames)))
    }

    /// Binds the listener and starts dialing every other peer (reconnecting
    /// with capped exponential backoff, forever, until shutdown). Returns the
    /// bound port. Checks the configuration first.
    public func start() async throws(PeerNetworkError) -> Int {
        try lifecycle.withLock { (state: inout Lifecycle) throws(PeerNetworkError) in
            switch state {
            case .idle: state = .starting
            case .starting, .running: throw .alreadyStarted
            case .stopped: throw .shutDown
            }
        }
        let contexts: TLSContexts
        let listener: Listener
        do {
            try configuration.validate()
            contexts = try TLSContexts(identity: configuration.identity)
            warnIfOutsideValidity()
            listener = try await bindListener(contexts: contexts)
        } catch {
            lifecycle.withLock { state in
                if case .starting = state { state = .idle }
            }
            throw error
        }
        let port = listener.channel.localAddress?.port ?? configuration.listenPort
        let started = lifecycle.withLock { state -> Bool in
            guard case .starting = state else { return false }
            let task = Task { await self.run(listener: listener, contexts: contexts) }
            state = .running(task: task, listener: listener.channel)
            return true
        }
        guard started else {
            // shutdown() ran while we were binding.
            listener.channel.close(promise: nil)
            throw .shutDown
        }
        logger.info(
            "peer network listening",
            metadata: ["address": "\(configuration.listenHost):\(port)", "self": "\(configuration.selfIndex)"])
        return port
    }

    /// Frames from authenticated peers, in arrival order per peer. Bounded by
    /// `inboundBufferFrames`: when the consumer lags, the newest frames are
    /// dropped and counted in `droppedInboundFull`. One consumer only; it ends
    /// after `shutdown()`.
    public var inbound: AsyncStream<InboundFrame> { inboundStream }

    /// Never blocks or suspends. Queued on this peer's outbound link; if the
    /// link is down or the queue is over its frame/byte limit the frame is
    /// dropped and counted (consensus retransmits). Empty frames and frames over
    /// `maxFrameBytes` are dropped too (`droppedInvalidSize`): the receiver would
    /// close the connection over them.
    public func send(_ bytes: [UInt8], to peer: Int) {
        guard !bytes.isEmpty, bytes.count <= configuration.maxFrameBytes else {
            counters.droppedInvalidSize.count()
            return
        }
        guard let link = links[peer] else {
            counters.droppedNotConnected.count()
            return
        }
        switch link.enqueue(bytes) {
        case .queued: break
        case .notConnected: counters.droppedNotConnected.count()
        case .full: counters.droppedQueueFull.count()
        }
    }

    /// `send` to every peer but self.
    public func broadcast(_ bytes: [UInt8]) {
        for index in links.keys {
            send(bytes, to: index)
        }
    }

    /// Peers with an established, authenticated outbound link.
    ///
    /// With TLS 1.3 a server checks the client's certificate after the client
    /// considers the handshake done, so a peer that refuses us can appear here
    /// until its refusal arrives a round trip later.
    public func connectedPeers() -> Set<Int> {
        Set(links.values.filter(\.isConnected).map(\.peer.index))
    }

    public func statistics() -> PeerNetworkStatistics { counters.snapshot() }

    /// Closes the listener and every connection, stops dialing, and ends
    /// `inbound`. Returns when all of it is done; safe to call more than once.
    public func shutdown() async {
        let (task, listener): (Task<Void, Never>?, (any Channel)?) = lifecycle.withLock { state in
            switch state {
            case .idle, .starting:
                state = .stopped(task: nil)
                return (nil, nil)
            case let .running(task, listener):
                state = .stopped(task: task)
                return (task, listener)
            case let .stopped(task):
                return (task, nil)
            }
        }
        task?.cancel()
        listener?.close(promise: nil)
        for channel in registry.beginClosing() {
            channel.close(promise: nil)
        }
        await task?.value
        for link in links.values {
            counters.droppedNotConnected.count(link.detach())
        }
        inboundContinuation.finish()
        if listener != nil {
            logger.info("peer network stopped", metadata: ["self": "\(configuration.selfIndex)"])
        }
    }

    private func run(listener: Listener, contexts: TLSContexts) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.acceptConnections(listener) }
            for peer in directory.others {
                group.addTask { await self.dialForever(peer, contexts: contexts) }
            }
        }
    }

    private func warnIfOutsideValidity() {
        let now = Date()
        for (what, certificate) in [("node certificate", configuration.identity.certificate), ("cluster CA certificate", configuration.identity.caCertificate)] {
            if now < certificate.notValidBefore || now > certificate.notValidAfter {
                logger.warning(
                    "\(what) is not valid now; peers will refuse this node",
                    metadata: ["notBefore": "\(certificate.notValidBefore)", "notAfter": "\(certificate.notValidAfter)"])
            }
        }
    }
}
