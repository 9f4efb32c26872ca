import Hummingbird
import LedgerCore
import NodeAPIModel

/// `POST /v1/transactions`, `POST /v1/transactions/batch`,
/// `GET /v1/transactions/{txid}/receipt`.
extension APIContext {
    var transactionEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/v1/transactions") { (request, _) async throws(APIError) -> Response in
                try await submitOne(request)
            },
            Endpoint(.post, "/v1/transactions/batch") { (request, _) async throws(APIError) -> Response in
                try await submitBatch(request)
            },
            Endpoint(
                .get, "/v1/transactions/{txid}/receipt", extraTime: { request in requestedWait(request) * 2 }
            ) { (request, parameters) async throws(APIError) -> Response in
                try await receipt(request, parameters)
            },
        ]
    }

    private func submitOne(_ request: Request) async throws(APIError) -> Response {
        _ = try QueryInput(request, allowed: [])
        let body = try await JSONBody.decode(SubmitBody.self, from: request, limit: configuration.maxTransactionBodyBytes)
        let bytes = try Self.transactionBytes(body.transaction, field: "transaction")
        let outcomes = await backend.submit([bytes])
        guard outcomes.count == 1, let outcome = outcomes.first else {
            throw .internal("the node answered \(outcomes.count) outcomes for one transaction")
        }
        switch outcome {
        case .accepted, .known:
            return JSONResponse.make(SubmitResultView(outcome), status: .accepted)
        case let .rejected(code, message):
            throw APIError(status: .badRequest, code: code, message: message)
        case let .full(seconds):
            throw .mempoolFull(retryAfterSeconds: seconds)
        }
    }

    /// Items that are not even hex are refused here, in place; the rest go to
    /// the node in one call, so it can admit them in order.
    private func submitBatch(_ request: Request) async throws(APIError) -> Response {
        _ = try QueryInput(request, allowed: [])
        let body = try await JSONBody.decode(BatchBody.self, from: request, limit: configuration.maxBatchBodyBytes)
        guard !body.transactions.isEmpty else { throw .badParameter("transactions", "the batch is empty") }
        guard body.transactions.count <= configuration.maxBatchTransactions else {
            throw APIError(
                status: .contentTooLarge, code: APIErrorCode.batchTooLarge,
                message: "\(body.transactions.count) transactions; a batch holds at most \(configuration.maxBatchTransactions)")
        }
        var results = [SubmitResultView?](repeating: nil, count: body.transactions.count)
        var decoded: [[UInt8]] = []
        var positions: [Int] = []
        for (index, text) in body.transactions.enumerated() {
            do throws(APIError) {
                decoded.append(try Self.transactionBytes(text, field: "transactions[\(index)]"))
                positions.append(index)
            } catch {
                results[index] = SubmitResultView(.rejected(code: error.code, message: error.message))
            }
        }
        if !decoded.isEmpty {
            let outcomes = await backend.submit(decoded)
            guard outcomes.count == decoded.count else {
                throw .internal("the node answered \(outcomes.count) outcomes for \(decoded.count) transactions")
            }
            for (position, outcome) in zip(positions, outcomes) { results[position] = SubmitResultView(outcome) }
        }
        let views = results.compactMap { $0 }
        let retry = views.compactMap(\.retryAfterSeconds)
        if retry.count == views.count, let longest = retry.max() {
            throw .mempoolFull(retryAfterSeconds: longest)
        }
        return JSONResponse.make(BatchResultView(results: views))
    }

    static func transactionBytes(_ text: String, field: String) throws(APIError) -> [UInt8] {
        let limit = SignedTransaction.maxEncodedSize
        guard text.utf8.count <= 2 * limit else {
            throw APIError(
                status: .badRequest, code: APIErrorCode.transactionTooLarge,
                message: "\(field): over the \(limit)-byte limit of a signed transaction")
        }
        guard let bytes = HexInput.bytes(text, count: 1...limit) else {
            throw .badHex(field, "expected the hex of a canonical DER SignedTransaction")
        }
        return bytes
    }

    private func receipt(_ request: Request, _ parameters: Parameters) async throws(APIError) -> Response {
        let id = try HexInput.txID(parameters.text("txid"))
        let query = try QueryInput(request, allowed: ProofQuery.parameters)
        let wait = try query.uint64("wait").map { min($0, maxWaitMillis) }
        let proof = try ProofQuery.parse(query, maxWaitMillis: maxWaitMillis, waitWithoutProof: true)
        let lookup: ReceiptLookup
        do throws(NodeBackendError) { lookup = try await backend.receipt(of: id, waitMillis: wait) } catch { throw backendError(error) }
        switch lookup {
        case let .committed(receipt):
            guard let proof else { return JSONResponse.make(ReceiptView(receipt)) }
            // The state holds the receipt without its message: that is what is proven.
            let atLeast = ProofQuery(minHeight: max(proof.minHeight, receipt.height.value), waitMillis: proof.waitMillis)
            return try await proven(atLeast) { _ in [.receipt(id)] }
        case .pending:
            return JSONResponse.make(PendingView(txid: id.hex), status: .accepted)
        case .unknown:
            throw .notFound("transaction \(id.hex) is neither committed nor waiting in this node's mempool")
        }
    }

    static func millis(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000 + UInt64(attoseconds / 1_000_000_000_000_000)
    }
}
