import NIOCore
import NIOPosix
import Testing

@testable import ChaosKit

/// The proxy against a real echo server on 127.0.0.1: bytes pass while the
/// link is open, a cut closes the connection and refuses new ones, a heal lets
/// them through again.
@Suite struct LinkProxyTests {
    static func echoServer() async throws -> (port: Int, channel: any Channel) {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.pipeline.addHandler(Echo()) }
            .bind(host: "127.0.0.1", port: 0).get()
        return (server.localAddress!.port!, server)
    }

    final class Echo: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
    }

    /// Connects through the proxy, sends `text`, and returns what came back, or
    /// nil when the connection was closed first.
    static func roundTrip(port: Int, _ text: String) async throws -> String? {
        let client = try await connect(port: port)
        return try await client.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: text))
            var received = ""
            for try await var bytes in inbound {
                received += bytes.readString(length: bytes.readableBytes) ?? ""
                if received.count >= text.count { return received }
            }
            return nil
        }
    }

    /// A proxy in front of a fresh echo server, torn down after `body`.
    static func withProxiedEcho(_ body: (LinkProxy, Int) async throws -> Void) async throws {
        let echo = try await Self.echoServer()
        let proxy = LinkProxy(upstreamHost: "127.0.0.1", upstreamPort: echo.port)
        let (port, serving) = try await proxy.start(port: 0)
        defer {
            proxy.shutdown()
            serving.cancel()
            echo.channel.close(promise: nil)
        }
        try await body(proxy, port)
    }

    static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    @Test func relaysWhileOpenRefusesWhileCutAndRelaysAgainAfterHeal() async throws {
        try await Self.withProxiedEcho { (proxy: LinkProxy, port: Int) async throws in
            #expect(try await Self.roundTrip(port: port, "hello") == "hello")
            #expect(proxy.counts.relayed == 1)

            proxy.cut()
            #expect(!proxy.isOpen)
            // Accepted by the kernel, then closed by the proxy without reaching the echo server.
            let whileCut = try? await Self.roundTrip(port: port, "lost")
            #expect(whileCut == nil)
            #expect(proxy.counts.refused == 1)
            #expect(proxy.counts.relayed == 1)

            proxy.heal()
            #expect(try await Self.roundTrip(port: port, "again") == "again")
            #expect(proxy.counts.relayed == 2)
        }
    }

    @Test func aCutClosesConnectionsAlreadyOpen() async throws {
        try await Self.withProxiedEcho { (proxy: LinkProxy, port: Int) async throws in
            let client = try await Self.connect(port: port)
            let ended = try await client.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "ping"))
                var iterator = inbound.makeAsyncIterator()
                let first = try await iterator.next()
                #expect(first.map { String(buffer: $0) } == "ping")
                proxy.cut()
                // The proxy closes its side: the stream ends (or errors) instead of hanging.
                let next = try? await iterator.next()
                return next == nil
            }
            #expect(ended)
        }
    }

    @Test func theMeshSeparatesAGroupBothWaysAndHealsIt() async throws {
        let echo = try await Self.echoServer()
        let mesh = try await ProxyMesh(nodeCount: 4, basePort: 0, peerPort: { _ in echo.port }, ephemeral: true)
        defer {
            mesh.shutdown()
            echo.channel.close(promise: nil)
        }
        mesh.separate([1, 2])
        for from in 1...4 {
            for to in 1...4 where to != from {
                let sameSide = (from <= 2) == (to <= 2)
                #expect(mesh.isOpen(from: from, to: to) == sameSide, "link \(from)→\(to)")
            }
        }
        mesh.healAll()
        for from in 1...4 {
            for to in 1...4 where to != from { #expect(mesh.isOpen(from: from, to: to)) }
        }
    }
}
