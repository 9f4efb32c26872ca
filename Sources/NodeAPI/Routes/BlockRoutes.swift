import Hummingbird
import LedgerCore
import LedgerState
import NodeAPIModel

/// `GET /v1/blocks/{height}`, `GET /v1/blocks/{height}/receipts`, `GET /v1/blocks/by-hash/{hash}`.
extension APIContext {
    var blockEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/blocks/{height}") { (request, parameters) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let (_, stored) = try await committedBlock(parameters)
                return JSONResponse.make(BlockView(stored, suite: backend.suite))
            },
            // Every receipt of a block, refused ones included: what an auditor scans for anomalies.
            Endpoint(.get, "/v1/blocks/{height}/receipts") { (request, parameters) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let (height, stored) = try await committedBlock(parameters)
                let receipts = try await query { queries throws(LedgerError) in try queries.receipts(at: Height(height)) }
                // Receipts follow block order, so the i-th names the i-th transaction.
                let transactions = stored.block.transactions
                let views = receipts.map { receipt in
                    let index = Int(receipt.index)
                    let transaction = transactions.indices.contains(index) ? transactions[index].transaction : nil
                    let operation = transaction.flatMap { try? LedgerOperation.decode(kind: $0.kind, payload: $0.payload) }
                    return ReceiptView(receipt, subject: operation?.subject ?? nil)
                }
                return JSONResponse.make(
                    BlockReceiptsView(height: height, timestampMillis: stored.block.header.timestampMillis, receipts: views))
            },
            Endpoint(.get, "/v1/blocks/by-hash/{hash}") { (request, parameters) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let hash = try HexInput.digest(parameters.text("hash"), field: "hash")
                let stored: StoredBlock?
                do throws(NodeBackendError) { stored = try await backend.block(hash: hash) } catch { throw backendError(error) }
                guard let stored else { throw .notFound("no committed block has hash \(hash.hex)") }
                return JSONResponse.make(BlockView(stored, suite: backend.suite))
            },
        ]
    }

    /// The committed block at the `{height}` path parameter, or the error to answer.
    private func committedBlock(_ parameters: Parameters) async throws(APIError) -> (UInt64, StoredBlock) {
        let text = parameters.text("height")
        guard let height = DecimalInput.uint64(text) else {
            throw .badParameter("height", "expected an unsigned decimal integer")
        }
        let stored: StoredBlock?
        do throws(NodeBackendError) { stored = try await backend.block(at: Height(height)) } catch { throw backendError(error) }
        guard let stored else { throw .notFound("no committed block at height \(height)") }
        return (height, stored)
    }
}
