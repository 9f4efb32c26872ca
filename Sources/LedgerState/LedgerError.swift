import LedgerCore

/// Why a block could not be applied. Nothing is written in either case.
public enum LedgerError: Error, Equatable, CustomStringConvertible {
    /// The block does not extend the chain as stored: a consensus or caller bug.
    case block(BlockRejection)
    /// The store or the state is broken; the node must stop rather than fork.
    case fault(LedgerFault)
    /// The store holds no chain yet, or a different one.
    case genesis(String)

    public var description: String {
        switch self {
        case let .block(rejection): return "block refused: \(rejection)"
        case let .fault(fault): return "ledger fault: \(fault)"
        case let .genesis(reason): return "genesis: \(reason)"
        }
    }
}

public enum BlockRejection: Equatable, Sendable, CustomStringConvertible {
    case wrongChain(expected: ChainID, found: ChainID)
    case wrongHeight(expected: Height, found: Height)
    case wrongParent(expected: Digest, found: Digest)
    case wrongStateRoot(expected: Digest, found: Digest)
    case timeWentBack(previous: UInt64, found: UInt64)
    case wrongTransactionsRoot(expected: Digest, found: Digest)
    /// Over the block's transaction count or byte cap.
    case tooLarge(String)

    public var description: String {
        switch self {
        case let .wrongChain(expected, found): return "chain \(found), expected \(expected)"
        case let .wrongHeight(expected, found): return "height \(found), expected \(expected)"
        case let .wrongParent(expected, found): return "previous hash \(found.hex), expected \(expected.hex)"
        case let .wrongStateRoot(expected, found): return "state root \(found.hex), expected \(expected.hex)"
        case let .timeWentBack(previous, found): return "timestamp \(found) is before the previous block's \(previous)"
        case let .wrongTransactionsRoot(expected, found): return "transactions root \(found.hex), expected \(expected.hex)"
        case let .tooLarge(reason): return reason
        }
    }
}
