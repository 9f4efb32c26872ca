import Consensus
import LedgerCore
import LedgerState
import NodeAPI
import Synchronization

/// The states this node can prove answers against: a snapshot taken right
/// after each block it applied, kept until that block is certified (then it
/// becomes the newest certified state) or is too old to matter.
///
/// The state tree overwrites its nodes in place, so a root can only be proven
/// from a snapshot taken while it was the current one; snapshots pin old
/// versions in RocksDB, hence the bound.
final class CertifiedStates: Sendable {
    static let maxPending = 32

    struct Executed: Sendable {
        let header: BlockHeader
        let queries: LedgerQueries
    }

    struct Certified: Sendable {
        let header: BlockHeader
        let certificate: StateCertificate
        let queries: LedgerQueries
    }

    private struct State {
        var pending: [UInt64: Executed] = [:]
        var latest: Certified?
    }

    private let state = Mutex(State())

    /// A block was applied and `queries` reads the state right after it.
    func executed(_ header: BlockHeader, queries: LedgerQueries) {
        state.withLock { state in
            state.pending[header.height.value] = Executed(header: header, queries: queries)
            while state.pending.count > Self.maxPending, let oldest = state.pending.keys.min() {
                state.pending[oldest] = nil
            }
            // While nothing new certifies, the newest certified snapshot would pin
            // ever more old versions in RocksDB; far behind, it is not worth it
            // (an answer from it would be stale anyway).
            if let latest = state.latest, latest.header.height.value + Self.maxCertifiedLag < header.height.value {
                state.latest = nil
            }
        }
    }

    /// Blocks the newest certified state may fall behind the applied head before it is dropped.
    static let maxCertifiedLag: UInt64 = 256

    /// 2f+1 validators attested the block at the certificate's height.
    /// False when this node holds no snapshot of that state any more.
    @discardableResult
    func certify(_ certificate: StateCertificate) -> Bool {
        state.withLock { state in
            let height = certificate.height
            defer { state.pending = state.pending.filter { $0.key > height } }
            guard let executed = state.pending[height], state.latest.map({ executed.header.height.value > $0.header.height.value }) ?? true
            else { return false }
            // Dropping the last reference to an older snapshot closes it; a
            // reader still holding it finishes undisturbed.
            state.latest = Certified(header: executed.header, certificate: certificate, queries: executed.queries)
            return true
        }
    }

    var latest: Certified? { state.withLock { $0.latest } }
}
