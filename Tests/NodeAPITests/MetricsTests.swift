import HummingbirdTesting
import NodeAPI
import Testing

@Suite("Metrics")
struct MetricsTests {
    @Test("/metrics exposes every node metric with the values the runtime set, and request latencies by route")
    func exposition() async throws {
        let fixture = try APIFixture()
        let metrics = fixture.metrics
        metrics.blockApplied(height: 7, transactions: 3)
        metrics.blockApplied(height: 8, transactions: 2)
        metrics.viewChanged(to: 2)
        metrics.setMempoolSize(42)
        metrics.setConnectedPeers(3)
        metrics.peerOffence(peer: 3, reason: "equivocation")
        metrics.peerOffence(peer: 3, reason: "equivocation")
        metrics.peerOffence(peer: 0, reason: "malformed")
        // Running totals: the counters follow their growth, never count twice.
        metrics.peerFrameTotals(sent: 10, received: 8, dropped: [("inboundQueueFull", 0), ("outboundQueueFull", 2)])
        metrics.peerFrameTotals(sent: 25, received: 8, dropped: [("inboundQueueFull", 3), ("outboundQueueFull", 2)])
        try await fixture.test(.router) { client in
            _ = try await client.get("/v1/status")
            _ = try await client.get("/v1/blocks/9")
            _ = try await client.get("/no/such/route")
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = Set(response.text.split(separator: "\n").map(String.init))
            for expected in [
                "civic_block_height 8.0", "civic_committed_transactions_total 5", "civic_view 2.0",
                "civic_view_changes_total 1", "civic_mempool_size 42.0", "civic_peer_connections 3.0",
                #"civic_peer_offences_total{peer="node4",reason="equivocation"} 2"#,
                #"civic_peer_offences_total{peer="node1",reason="malformed"} 1"#,
                #"civic_peer_frames_total{direction="sent"} 25"#, #"civic_peer_frames_total{direction="received"} 8"#,
                #"civic_peer_frames_dropped_total{reason="inboundQueueFull"} 3"#,
                #"civic_peer_frames_dropped_total{reason="outboundQueueFull"} 2"#,
                #"civic_http_request_duration_seconds_count{route="/v1/status",method="GET",status="200"} 1"#,
                #"civic_http_request_duration_seconds_count{route="/v1/blocks/{height}",method="GET",status="404"} 1"#,
                #"civic_http_request_duration_seconds_count{route="unmatched",method="GET",status="404"} 1"#,
            ] {
                #expect(lines.contains(expected), "missing line: \(expected)")
            }
            for name in [
                "civic_block_height", "civic_committed_transactions_total", "civic_view", "civic_view_changes_total",
                "civic_mempool_size", "civic_peer_connections", "civic_http_request_duration_seconds",
                "civic_peer_offences_total", "civic_peer_frames_total", "civic_peer_frames_dropped_total",
            ] {
                #expect(lines.contains { $0.hasPrefix("# TYPE \(name) ") }, "no TYPE line for \(name)")
            }
        }
    }
}
