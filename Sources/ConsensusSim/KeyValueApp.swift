import Consensus
import LedgerCore

/// The deterministic test application: counters keyed by client, with a state
/// root that hashes the whole applied history, so two replicas agree on the
/// root exactly when they applied the same requests in the same order.
///
/// It is the application, not the replica, that makes a request take effect at
/// most once (as ledger nonces do): a request already applied is skipped.
struct KeyValueApp: Sendable {
    private(set) var executed: SequenceNumber = 0
    private(set) var root: Digest
    private(set) var counters: [UInt32: UInt64] = [:]
    private(set) var applied: Set<Digest> = []
    private(set) var skippedDuplicates = 0

    init(genesisRoot: Digest) {
        root = genesisRoot
    }

    mutating func apply(_ sequence: SequenceNumber, _ batch: Batch, workload: Workload, hash: some DigestFunction) {
        precondition(sequence == executed + 1, "the replica hands out batches in order")
        var material = root.bytes
        withUnsafeBytes(of: sequence.bigEndian) { material += $0 }
        for request in batch.requests {
            let digest = hash.digest(request)
            guard let parsed = workload.parse(request), !applied.contains(digest) else {
                skippedDuplicates += 1
                continue
            }
            applied.insert(digest)
            counters[parsed.client, default: 0] += 1
            material += digest.bytes
        }
        root = hash.digest(material)
        executed = sequence
    }
}

/// The clients' requests: `client ‖ number ‖ tag`, where the tag is a keyed hash
/// only the workload knows. Replicas accept a request only with a valid tag, so
/// a byzantine primary cannot invent requests, just as real clients sign theirs.
struct Workload: Sendable {
    let key: [UInt8]
    let hash: any DigestFunction

    func request(client: UInt32, number: UInt32) -> [UInt8] {
        var body: [UInt8] = []
        withUnsafeBytes(of: client.bigEndian) { body += $0 }
        withUnsafeBytes(of: number.bigEndian) { body += $0 }
        return body + tag(body)
    }

    func parse(_ request: [UInt8]) -> (client: UInt32, number: UInt32)? {
        guard request.count == 16 else { return nil }
        let body = Array(request.prefix(8))
        guard Array(request.suffix(8)) == tag(body) else { return nil }
        let client = body[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let number = body[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return (client, number)
    }

    func isValid(_ request: [UInt8]) -> Bool { parse(request) != nil }

    private func tag(_ body: [UInt8]) -> [UInt8] {
        Array(hash.digest(key + body).bytes.prefix(8))
    }
}
