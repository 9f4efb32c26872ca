import Hummingbird
import LedgerCore
import LedgerState
import NodeAPIModel

/// `?proof=true` on a read: the answer comes from the newest certified state
/// (`minHeight` or above, waiting up to `wait` ms for it) as a
/// `ProvenStateView` that a client checks without trusting this node.
struct ProofQuery: Sendable {
    /// The query parameters a route that serves proofs takes besides its own.
    static let parameters: Set<String> = ["proof", "minHeight", "wait"]

    let minHeight: UInt64
    let waitMillis: UInt64

    /// Nil when the request did not ask for a proof. `wait` means something
    /// without a proof only where the route says so (a receipt's: wait for the commit).
    static func parse(_ query: QueryInput, maxWaitMillis: UInt64, waitWithoutProof: Bool = false) throws(APIError) -> ProofQuery? {
        switch query.string("proof") {
        case nil, "false":
            let meaningless = waitWithoutProof ? ["minHeight"] : ["minHeight", "wait"]
            if let name = meaningless.first(where: { query.string($0) != nil }) {
                throw .badParameter(name, "only meaningful with proof=true")
            }
            return nil
        case "true":
            return ProofQuery(
                minHeight: try query.uint64("minHeight") ?? 0, waitMillis: min(try query.uint64("wait") ?? 0, maxWaitMillis))
        case let other?:
            throw .badParameter("proof", "expected true or false, got \(other.prefix(20))")
        }
    }
}

/// What a proof route proves: these keys, or nothing because the signer may
/// not read them (decided on the certified state itself).
enum ProvenKeys: Sendable {
    case keys([LedgerStateKey])
    case refused
}

extension APIContext {
    /// The values under the keys `keys` picks (run on the certified state
    /// itself, so the keys and the proofs come from one snapshot), each with
    /// its proof, and the certified block they are proven against.
    func proven(
        _ proof: ProofQuery, keys: @escaping @Sendable (LedgerQueries) throws(LedgerError) -> [LedgerStateKey]
    ) async throws(APIError) -> Response {
        try await proven(proof) { queries throws(LedgerError) in .keys(try keys(queries)) }
    }

    func proven(
        _ proof: ProofQuery, keys: @escaping @Sendable (LedgerQueries) throws(LedgerError) -> ProvenKeys
    ) async throws(APIError) -> Response {
        let result: (value: [ProvenEntryView]?, certified: CertifiedBlock)
        do {
            result = try await backend.withCertifiedQueries(minHeight: proof.minHeight, waitMillis: proof.waitMillis) {
                queries throws(LedgerError) -> [ProvenEntryView]? in
                guard case let .keys(keys) = try keys(queries) else { return nil }
                var entries: [ProvenEntryView] = []
                for key in keys { entries.append(try ProvenEntryView(proving: key, in: queries)) }
                return entries
            }
        } catch {
            throw backendError(error)
        }
        guard let entries = result.value else {
            throw .notHolder("a consent grant's proof is given only to a request signed by the grant's office or its holder")
        }
        let header = result.certified.header
        return JSONResponse.make(
            ProvenStateView(
                height: header.height.value, header: Hex.encode(Canonical.encode(header)),
                certificate: Hex.encode(result.certified.certificate), entries: entries))
    }

    /// The wait a request asks for (`?wait=` ms), capped; malformed values
    /// count as none here (the handler refuses them).
    func requestedWait(_ request: Request) -> Duration {
        guard let text = request.uri.queryParameters["wait"], let millis = DecimalInput.uint64(text) else { return .zero }
        return .milliseconds(min(millis, Self.millis(configuration.maxReceiptWait)))
    }

    var maxWaitMillis: UInt64 { Self.millis(configuration.maxReceiptWait) }
}
