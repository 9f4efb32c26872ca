import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel

/// Reads that do not trust the node: each answer is fetched with
/// `proof=true`, checked against the genesis validators (`TrustAnchor`), and
/// judged here by the ledger's own query code over the proven values.
public struct LightClient: Sendable {
    public let client: NodeClient
    public let anchor: TrustAnchor
    /// The freshness bound: the certified block may be at most this old by `now`.
    public let maxAgeMillis: UInt64
    /// How long the node may wait for a certified state at the height asked for;
    /// at most `maxWaitMillis`, so the node answers before the client's HTTP timeout.
    public let waitMillis: UInt64
    public static let maxWaitMillis: UInt64 = 10_000
    let now: @Sendable () -> UInt64

    public init(
        client: NodeClient, anchor: TrustAnchor, maxAgeMillis: UInt64 = 60_000, waitMillis: UInt64 = 10_000,
        now: @escaping @Sendable () -> UInt64 = LightClient.wallClockMillis
    ) {
        self.client = client
        self.anchor = anchor
        self.maxAgeMillis = maxAgeMillis
        self.waitMillis = min(waitMillis, Self.maxWaitMillis)
        self.now = now
    }

    @Sendable public static func wallClockMillis() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// No usable answer (unreachable, refused, not what the API describes).
        case node(ClientError)
        /// An answer came, and the checks found it untrustworthy.
        case untrusted(TrustlessError)

        public var description: String {
            switch self {
            case let .node(error): return error.description
            case let .untrusted(error): return error.description
            }
        }
    }

    /// The 免证办 counter check over proven records, judged at the certified block's time.
    /// With a consent, `signer` (the office's key, or the holder's) signs the
    /// request: the node gives a grant's proof only to them.
    public func counterCheck(
        licence: LicenceID, presentedDigest: Digest?, consent: ConsentID?, office: OfficeID?, minHeight: UInt64 = 0,
        signer: PrivateKey? = nil
    ) async throws(Failure) -> (verdict: VerdictView, proven: TrustAnchor.Verified) {
        let body = VerifyBody(
            licence: licence.hex, documentDigest: presentedDigest?.hex, consent: consent?.hex, office: office?.value)
        let answer = try await fetch { () async throws(ClientError) in
            try await client.provenVerify(body, request(minHeight), signedBy: signer, suite: anchor.chain.suite)
        }
        let proven = try check(answer, minHeight: minHeight) { queries throws(LedgerError) in
            try LedgerStateKey.counterCheck(licence: licence, consent: consent, in: queries)
        }
        let question = VerificationRequest(subject: .licence(licence), presentedDigest: presentedDigest, consent: consent, office: office)
        do throws(LedgerError) {
            let verdict = try proven.queries.verify(question)
            let view = try verdict.licence.map { record throws(LedgerError) in try LicenceView.load(record, in: proven.queries) }
            return (VerdictView(verdict, licence: view), proven)
        } catch {
            throw .untrusted(proven.failure(error))
        }
    }

    /// The height of the newest block the validators certified, whatever its
    /// age: a bound a transaction's expiry can be set from without taking the
    /// node's word for the chain's height. Asked as a licence's proof.
    public func certifiedHeight(asking licence: LicenceID) async throws(Failure) -> UInt64 {
        let answer = try await fetch { () async throws(ClientError) in try await client.provenLicence(id: licence.hex, request(0)) }
        return try check(answer, minHeight: 0, maxAgeMillis: .max) { queries throws(LedgerError) in
            try LedgerStateKey.counterCheck(licence: licence, consent: nil, in: queries)
        }.height
    }

    /// A committed transaction's receipt as the state holds it (no message).
    public func receipt(_ transaction: TxID, minHeight: UInt64 = 0) async throws(Failure) -> (receipt: Receipt?, proven: TrustAnchor.Verified) {
        let answer = try await fetch { () async throws(ClientError) in
            try await client.provenReceipt(txid: transaction.hex, request(minHeight))
        }
        let proven = try check(answer, minHeight: minHeight) { _ in [.receipt(transaction)] }
        do throws(LedgerError) { return (try proven.queries.provenReceipt(of: transaction), proven) } catch { throw .untrusted(proven.failure(error)) }
    }

    /// An invoice and every event of its trace, or its proven absence.
    public func invoiceTrace(_ id: InvoiceID, minHeight: UInt64 = 0) async throws(Failure) -> (trace: LedgerQueries.InvoiceTrace?, proven: TrustAnchor.Verified) {
        let answer = try await fetch { () async throws(ClientError) in
            try await client.provenInvoice(code: id.code, number: id.number, request(minHeight))
        }
        let proven = try check(answer, minHeight: minHeight) { queries throws(LedgerError) in
            LedgerStateKey.invoiceTrace(id, eventCount: try queries.invoice(id)?.invoice.eventCount ?? 0)
        }
        do throws(LedgerError) { return (try proven.queries.invoice(id), proven) } catch { throw .untrusted(proven.failure(error)) }
    }

    private func request(_ minHeight: UInt64) -> NodeClient.ProofRequest {
        NodeClient.ProofRequest(minHeight: minHeight, waitMillis: waitMillis)
    }

    private func fetch(_ body: () async throws(ClientError) -> ProvenStateView) async throws(Failure) -> ProvenStateView {
        do { return try await body() } catch { throw .node(error) }
    }

    /// `anchor.check` with this client's clock and, unless given, its freshness bound.
    private func check(
        _ answer: ProvenStateView, minHeight: UInt64, maxAgeMillis: UInt64? = nil,
        keys: (LedgerQueries) throws(LedgerError) -> [LedgerStateKey]
    ) throws(Failure) -> TrustAnchor.Verified {
        do {
            return try anchor.check(
                answer, minHeight: minHeight, nowMillis: now(), maxAgeMillis: maxAgeMillis ?? self.maxAgeMillis, keys: keys)
        } catch {
            throw .untrusted(error)
        }
    }
}
