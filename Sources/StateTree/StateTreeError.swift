import LedgerCore
import LedgerStore

/// Why the tree could not be read or updated. Every failure ends in one of
/// these, never a trap, so a node can report the cause and stop cleanly.
public enum StateTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The store refused or failed a read.
    case store(StoreError)
    /// A stored node is not one this tree could have written: wrong size or
    /// tag, a leaf off its path, an internal node with fewer than two leaves
    /// below it, or a child that is not what its parent records. `nodeKey` is
    /// the node's key in the tree's column family.
    case corrupt(nodeKey: [UInt8], reason: String)

    public var description: String {
        switch self {
        case let .store(error):
            return "state tree: \(error)"
        case let .corrupt(nodeKey, reason):
            return "state tree: corrupt node at key \(Hex.encode(nodeKey)): \(reason)"
        }
    }
}
