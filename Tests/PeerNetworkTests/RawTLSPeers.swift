import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import PeerNetwork
import Synchronization

/// TLS 1.3 settings for the hand-driven peers below, with any certificate and
/// any trust root, so a test can present what a PeerNetwork never would.
func rawTLSConfiguration(server: Bool, certificate: IssuedCertificate, trustingCA caPEM: String) throws -> TLSConfiguration {
    let chain: [NIOSSLCertificateSource] = [
        .certificate(try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem))
    ]
    let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPEM.utf8), format: .pem))
    let roots = NIOSSLTrustRoots.certificates([try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)])
    var tls: TLSConfiguration
    if server {
        tls = .makeServerConfigurationWithMTLS(certificateChain: chain, privateKey: key, trustRoots: roots)
    } else {
        tls = .makeClientConfiguration()
        tls.certificateChain = chain
        tls.privateKey = key
        tls.trustRoots = roots
    }
    tls.minimumTLSVersion = .tlsv13
    tls.certificateVerification = .noHostnameVerification
    return tls
}

/// Reports the client's view of the TLS handshake: done, or failed.
final class HandshakeWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) { self.done = done }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls { done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        done.fail(error)
        context.fireErrorCaught(error)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Completing a completed promise is a no-op; this only catches the other cases.
        done.fail(TestFailure("connection closed before the TLS handshake completed"))
    }
}

final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// A TLS client driven byte by byte, for frames a PeerNetwork never sends.
struct RawTLSClient: Sendable {
    let channel: any Channel
    /// Completes when the client considers the handshake done. With TLS 1.3
    /// that is before the server has judged the client's certificate.
    let handshake: EventLoopFuture<Void>

    static func connect(port: Int, certificate: IssuedCertificate, trustingCA caPEM: String) async throws -> RawTLSClient {
        let context = try NIOSSLContext(configuration: rawTLSConfiguration(server: false, certificate: certificate, trustingCA: caPEM))
        // The promise is made before connecting: a server that refuses at once
        // may close the connection before we could look the handler up.
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let done = eventLoop.makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                        try pipeline.addHandler(HandshakeWatcher(done: done))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        } catch {
            done.fail(error)
            throw error
        }
        return RawTLSClient(channel: channel, handshake: done.futureResult)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// A frame whose header says `length`, followed by `payload` (which need not match).
    func writeFrame(length: UInt32, payload: [UInt8]) async throws {
        var header = ByteBuffer()
        header.writeInteger(length, endianness: .big)
        try await write(Array(header.readableBytesView) + payload)
    }

    func closedByPeer(within limit: Duration = .seconds(120)) async -> Bool {
        await PeerNetworkTests.closedByPeer(channel, within: limit)
    }

    func close() async {
        try? await channel.close()
    }
}

/// Completes the TLS handshake as `certificate`'s node, then never reads
/// again, with a small receive buffer: a peer whose TCP window stays shut.
final class StalledTLSServer: Sendable {
    let listener: any Channel
    private let accepted: ChannelList

    private init(listener: any Channel, accepted: ChannelList) {
        self.listener = listener
        self.accepted = accepted
    }

    static func start(port: Int, certificate: IssuedCertificate, trustingCA caPEM: String) async throws -> StalledTLSServer {
        let context = try NIOSSLContext(configuration: rawTLSConfiguration(server: true, certificate: certificate, trustingCA: caPEM))
        let accepted = ChannelList()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.socketOption(.so_rcvbuf), value: 16 * 1024)
            .childChannelOption(.socketOption(.so_rcvbuf), value: 16 * 1024)
            .childChannelInitializer { channel in
                accepted.append(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(NIOSSLServerHandler(context: context))
                    try pipeline.addHandler(StopReadingAfterHandshake())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        return StalledTLSServer(listener: listener, accepted: accepted)
    }

    /// The listener first, so that a peer redialing at once finds nobody.
    func close() async {
        try? await listener.close()
        for channel in accepted.all { try? await channel.close() }
    }
}

final class StopReadingAfterHandshake: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            try? context.channel.syncOptions?.setOption(.autoRead, value: false)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Discarded: this peer is a sink that has stopped reading.
    }
}

final class ChannelList: Sendable {
    private let channels = Mutex<[any Channel]>([])
    func append(_ channel: any Channel) { channels.withLock { $0.append(channel) } }
    var all: [any Channel] { channels.withLock { $0 } }
}

/// True when the other side closed `channel` within `limit`; false when the
/// limit passed first (the connection is then closed here, so nothing hangs).
/// The limit bounds a hang, it measures nothing: generous, because the node
/// accepts a connection only when its accepting task runs, which a starved
/// test pool can delay for many seconds.
func closedByPeer(_ channel: any Channel, within limit: Duration = .seconds(120)) async -> Bool {
    let timedOut = Flag()
    let timer = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
        timedOut.set()
        channel.close(promise: nil)
    }
    try? await channel.closeFuture.get()
    timer.cancel()
    return !timedOut.isSet
}

/// A plain TCP connection that never starts TLS.
func connectPlainTCP(port: Int) async throws -> any Channel {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
}
