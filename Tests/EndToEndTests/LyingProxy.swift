import Consensus
import Foundation
import Hummingbird
import LedgerCore
import Logging
import NodeAPIModel
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP proxy in front of one honest node that passes everything through
/// except proven answers (`proof=true`), which it rewrites with the lie it is
/// told to tell: what a compromised node, or anything between the counter and
/// the node, could send.
final class LyingProxy: Sendable {
    enum Lie: Sendable {
        case none
        /// One byte of the first entry's value changed.
        case tamperedValue
        /// The first entry's value dropped: "this key is absent".
        case absenceClaim
        /// The first entry's key renamed to another key; value and proof kept.
        case renamedKey([UInt8])
        /// The first entry replaced by this one (a genuine proof of another key).
        case otherEntry(ProvenEntryView)
        /// Only the first two attestations kept.
        case shortCertificate
        /// The first attestation claims to be by a replica the chain does not have.
        case unknownSigner
        /// The first attestation twice.
        case duplicateSigner
        /// One byte of the first attestation's signature changed.
        case forgedSignature
        /// The header's time moved to now, to pass a freshness check.
        case freshenedHeader
        /// The last entry dropped (an invoice's last event, say).
        case droppedLastEntry
        /// This earlier answer, verbatim.
        case replay(Data)
    }

    let upstream: URL
    /// The lie, and the path prefix of the proven answers it is told on (nil: all).
    private let lie = Mutex<(Lie, String?)>((.none, nil))
    private let captured = Mutex<[String: Data]>([:])
    private let boundPort = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(upstream: URL) {
        self.upstream = upstream
    }

    func tell(_ lie: Lie, on path: String? = nil) { self.lie.withLock { $0 = (lie, path) } }
    /// The last proven answer the node gave for `path` (before any rewriting).
    func lastProvenAnswer(_ path: String) -> Data? { captured.withLock { $0[path] } }
    var url: String { "http://127.0.0.1:\(boundPort.withLock { $0 } ?? 0)" }

    func start() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: Forward(proxy: self))
        // Quiet: stopping it by cancellation makes the server log its shutdown as an error.
        var logger = Logger(label: "lying-proxy")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { [self] channel in boundPort.withLock { $0 = channel.localAddress?.port } }, logger: logger)
        task.withLock { $0 = Task { try await app.runService() } }
        for _ in 0..<500 where boundPort.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard boundPort.withLock({ $0 }) != nil else { throw TestFailure("the lying proxy did not start") }
    }

    func stop() { task.withLock { $0?.cancel() } }

    /// Handles every request (there are no routes): forward, then maybe lie.
    struct Forward: RouterMiddleware {
        typealias Context = BasicRequestContext
        let proxy: LyingProxy

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var forwarded = URLRequest(url: URL(string: proxy.upstream.absoluteString + request.uri.description)!)
            forwarded.httpMethod = request.method.rawValue
            forwarded.timeoutInterval = 60
            // Signed requests (X-Civic-*) pass through as sent.
            for field in request.headers where field.name.canonicalName.hasPrefix("x-civic-") {
                forwarded.setValue(field.value, forHTTPHeaderField: field.name.rawName)
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            if body.readableBytes > 0 {
                forwarded.httpBody = Data(body.readableBytesView)
                forwarded.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: forwarded)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 502
            var answer = data
            if status == 200, request.uri.query?.contains("proof=true") == true {
                proxy.captured.withLock { $0[request.uri.path] = data }
                answer = try proxy.rewrite(data, path: request.uri.path)
            }
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: answer)))
        }
    }

    func rewrite(_ data: Data, path: String) throws -> Data {
        let (lie, prefix) = self.lie.withLock { $0 }
        if let prefix, !path.hasPrefix(prefix) { return data }
        if case let .replay(old) = lie { return old }
        var answer = try JSONDecoder().decode(ProvenStateView.self, from: data)
        var entries = answer.entries
        var certificate = try Canonical.decode(StateCertificate.self, from: Hex.decode(answer.certificate) ?? [])
        var header = answer.header
        switch lie {
        case .none, .replay:
            return data
        case .tamperedValue:
            let entry = entries[0]
            var bytes = Hex.decode(entry.value ?? "") ?? []
            bytes[bytes.count - 1] ^= 0x01
            entries[0] = ProvenEntryView(key: entry.key, value: Hex.encode(bytes), proof: entry.proof)
        case .absenceClaim:
            entries[0] = ProvenEntryView(key: entries[0].key, value: nil, proof: entries[0].proof)
        case let .renamedKey(key):
            entries[0] = ProvenEntryView(key: Hex.encode(key), value: entries[0].value, proof: entries[0].proof)
        case let .otherEntry(entry):
            entries[0] = entry
        case .shortCertificate:
            certificate = StateCertificate(attestations: Array(certificate.attestations.prefix(2)))
        case .unknownSigner:
            let first = certificate.attestations[0]
            let claimed = BlockAttestation(
                height: first.content.height, blockHash: first.content.blockHash, stateRoot: first.content.stateRoot,
                replica: ReplicaID(9))
            certificate = StateCertificate(attestations: [SignedAttestation(content: claimed, signature: first.signature)] + certificate.attestations.dropFirst())
        case .duplicateSigner:
            certificate = StateCertificate(attestations: [certificate.attestations[0]] + certificate.attestations)
        case .forgedSignature:
            let first = certificate.attestations[0]
            var signature = first.signature
            signature[signature.count / 2] ^= 0x01
            certificate = StateCertificate(attestations: [SignedAttestation(content: first.content, signature: signature)] + certificate.attestations.dropFirst())
        case .freshenedHeader:
            let old = try Canonical.decode(BlockHeader.self, from: Hex.decode(header) ?? [])
            let fresh = BlockHeader(
                chainID: old.chainID, height: old.height, previousHash: old.previousHash,
                timestampMillis: UInt64(Date().timeIntervalSince1970 * 1000), transactionsRoot: old.transactionsRoot,
                stateRoot: old.stateRoot, proposer: old.proposer)
            header = Hex.encode(Canonical.encode(fresh))
        case .droppedLastEntry:
            entries.removeLast()
        }
        answer = ProvenStateView(height: answer.height, header: header, certificate: Hex.encode(Canonical.encode(certificate)), entries: entries)
        return try JSONEncoder().encode(answer)
    }
}
