import LedgerCore
import LedgerCrypto
import NodeAPIModel

/// The `proof=true` reads (docs/trust-model.md). Each answer is only what the
/// node claims until `TrustAnchor.check` has verified it.
extension NodeClient {
    /// Where a proven answer must come from: a certified state at `minHeight`
    /// or above, which the node may wait `waitMillis` for.
    public struct ProofRequest: Sendable, Hashable {
        public var minHeight: UInt64
        public var waitMillis: UInt64

        public init(minHeight: UInt64 = 0, waitMillis: UInt64 = 5_000) {
            self.minHeight = minHeight
            self.waitMillis = waitMillis
        }

        var query: [(String, String)] {
            [("proof", "true"), ("minHeight", String(minHeight)), ("wait", String(waitMillis))]
        }
    }

    public func provenLicence(id: String, _ request: ProofRequest = .init()) async throws(ClientError) -> ProvenStateView {
        try await get("/v1/licences/\(try pathHex(id, "licence id"))" + Self.queryString(request.query))
    }

    /// Every record the counter check rests on (licence, bureaus, consent).
    /// With a consent the request must be signed by the grant's office (or
    /// holder): the proof carries the whole grant.
    public func provenVerify(
        _ body: VerifyBody, _ request: ProofRequest = .init(), signedBy key: PrivateKey? = nil, suite: (any CryptoSuite)? = nil
    ) async throws(ClientError) -> ProvenStateView {
        try await post("/v1/verify" + Self.queryString(request.query), body, signedBy: key, suite: suite)
    }

    public func provenInvoice(code: String, number: String, _ request: ProofRequest = .init()) async throws(ClientError) -> ProvenStateView {
        try await get(
            "/v1/invoices/\(try pathSegment(code, "invoice code"))/\(try pathSegment(number, "invoice number"))"
                + Self.queryString(request.query))
    }

    /// A committed transaction's receipt as the state holds it (without its message).
    public func provenReceipt(txid: String, _ request: ProofRequest = .init()) async throws(ClientError) -> ProvenStateView {
        let response = try await exchange("GET", "/v1/transactions/\(try pathHex(txid, "txid"))/receipt" + Self.queryString(request.query))
        // 202: the node says the transaction is still pending; nothing is proven yet.
        if response.status == 202 { throw .notCommitted(txid: txid, waitedMillis: request.waitMillis) }
        return try decode(ProvenStateView.self, from: response)
    }
}
