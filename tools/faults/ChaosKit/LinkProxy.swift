import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay for one directed link between two nodes (node A dials B
/// through it), so a campaign can cut and heal the network without root
/// tools. Bytes pass untouched: the nodes' mutual TLS runs end to end.
///
/// `cut()` closes every open connection and closes each new one as soon as it
/// is accepted, which the dialling node sees as a peer that went away, as
/// with a real partition; `heal()` lets connections through again.
public final class LinkProxy: Sendable {
    public let upstreamHost: String
    public let upstreamPort: Int
    private let group: any EventLoopGroup
    private let state = Mutex(State())

    private struct State {
        var open = true
        var channels: [ObjectIdentifier: any Channel] = [:]
        var server: (any Channel)?
        var relayed = 0
        var refused = 0
    }

    public init(upstreamHost: String, upstreamPort: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        self.group = group
    }

    /// Connections relayed and connections refused while cut, so far.
    public var counts: (relayed: Int, refused: Int) { state.withLock { ($0.relayed, $0.refused) } }

    public var isOpen: Bool { state.withLock { $0.open } }

    /// Binds `host:port` (0 for any free port) and relays until `shutdown()`.
    /// Returns the bound port and the task that serves connections.
    public func start(host: String = "127.0.0.1", port: Int) async throws -> (port: Int, serving: Task<Void, Never>) {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        state.withLock { $0.server = server.channel }
        let bound = server.channel.localAddress?.port ?? port
        let serving = Task<Void, Never> {
            try? await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.relay(connection) }
                    }
                }
            }
        }
        return (bound, serving)
    }

    public func cut() {
        let channels = state.withLock { state -> [any Channel] in
            state.open = false
            let all = Array(state.channels.values)
            state.channels = [:]
            return all
        }
        for channel in channels { channel.close(promise: nil) }
    }

    public func heal() {
        state.withLock { $0.open = true }
    }

    public func shutdown() {
        cut()
        let server = state.withLock { state -> (any Channel)? in
            defer { state.server = nil }
            return state.server
        }
        server?.close(promise: nil)
    }

    /// Registers `channel` unless the link is cut (then the caller must close it).
    private func admit(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard state.open else {
                state.refused += 1
                return false
            }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    private func forget(_ channels: [any Channel]) {
        state.withLock { state in
            for channel in channels { state.channels[ObjectIdentifier(channel)] = nil }
        }
    }

    private func relay(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        guard admit(client.channel) else {
            try? await client.channel.close()
            return
        }
        var registered = [client.channel]
        defer { forget(registered) }
        do {
            let upstream = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(2))
                .connect(host: upstreamHost, port: upstreamPort) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            guard admit(upstream.channel) else {
                try? await upstream.channel.close()
                try? await client.channel.close()
                return
            }
            registered.append(upstream.channel)
            state.withLock { $0.relayed += 1 }
            try await client.executeThenClose { clientIn, clientOut in
                try await upstream.executeThenClose { upstreamIn, upstreamOut in
                    // Either direction ending ends the connection: the nodes'
                    // TLS sessions never half-close on purpose.
                    await withThrowingTaskGroup(of: Void.self) { pair in
                        pair.addTask { for try await bytes in clientIn { try await upstreamOut.write(bytes) } }
                        pair.addTask { for try await bytes in upstreamIn { try await clientOut.write(bytes) } }
                        _ = try? await pair.next()
                        client.channel.close(promise: nil)
                        upstream.channel.close(promise: nil)
                        pair.cancelAll()
                    }
                }
            }
        } catch {
            // The peer or the cut closed the connection; nothing to keep.
            try? await client.channel.close()
        }
    }
}
