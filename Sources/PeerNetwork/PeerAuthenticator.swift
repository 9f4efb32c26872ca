import NIOCore
import NIOSSL
import NIOTLS
import X509

/// Sits right after the TLS handler and decides who is on the other end.
///
/// NIOSSL has already checked the chain against the cluster CA when it reports
/// the handshake complete; this handler then reads the genesis key binding from
/// the peer certificate and resolves `identity` with the peer index, or fails it
/// and closes the connection. Nothing passes up the pipeline before that, so a
/// frame can never be attributed to a peer that has not proven who it is.
///
/// It also enforces the handshake timeout, which on the dialing side includes
/// the TCP connect.
final class PeerAuthenticator: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let expected: ExpectedPeer
    private let timeout: Duration
    private let identity: EventLoopPromise<Int>
    private var timer: Scheduled<Void>?
    private var authenticated = false
    private var decided = false

    init(expected: ExpectedPeer, timeout: Duration, identity: EventLoopPromise<Int>) {
        self.expected = expected
        self.timeout = timeout
        self.identity = identity
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            refuse(.timedOut(timeout), context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A promise must never be left pending: the connection task awaits it.
        decide(.failure(.closedDuringHandshake))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls, !decided {
            switch checkPeer(context: context) {
            case let .success(index):
                authenticated = true
                decide(.success(index))
            case let .failure(refusal):
                refuse(refusal, context: context)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // NIOSSL delivers no plaintext before the handshake completes; this only
        // guards against that ever changing.
        guard authenticated else { return }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard decided else {
            refuse(.tls(String(describing: error)), context: context)
            return
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        decide(.failure(.closedDuringHandshake))
        context.fireChannelInactive()
    }

    private func checkPeer(context: ChannelHandlerContext) -> Result<Int, HandshakeRefusal> {
        let presented: NIOSSLCertificate?
        do {
            presented = try context.pipeline.syncOperations.nioSSL_peerCertificate()
        } catch {
            return .failure(.unreadableCertificate(String(describing: error)))
        }
        guard let presented else { return .failure(.noPeerCertificate) }
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: presented.toDERBytes())
        } catch {
            return .failure(.unreadableCertificate(String(describing: error)))
        }
        guard let key = GenesisKeyBinding.nodeKey(in: certificate) else { return .failure(.noGenesisKeyBinding) }
        return expected.check(boundKey: key)
    }

    private func refuse(_ refusal: HandshakeRefusal, context: ChannelHandlerContext) {
        decide(.failure(refusal))
        context.close(promise: nil)
    }

    private func decide(_ outcome: Result<Int, HandshakeRefusal>) {
        guard !decided else { return }
        decided = true
        timer?.cancel()
        timer = nil
        switch outcome {
        case let .success(index): identity.succeed(index)
        case let .failure(refusal): identity.fail(refusal)
        }
    }
}
