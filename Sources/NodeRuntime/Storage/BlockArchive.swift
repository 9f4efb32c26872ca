import Consensus
import LedgerCore
import LedgerStore

public enum BlockArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    case store(StoreError)
    /// A stored record does not decode: the data directory is damaged.
    case corrupt(height: UInt64, reason: String)

    public var description: String {
        switch self {
        case let .store(error): "block archive: \(error)"
        case let .corrupt(height, reason): "block archive: the record at height \(height) is damaged: \(reason)"
        }
    }
}

/// Reads of the archived blocks; writes go into the block's own apply batch
/// (`records(for:)`), never on their own.
public struct BlockArchive: Sendable {
    let reader: any KeyValueReader

    public init(reader: any KeyValueReader) {
        self.reader = reader
    }

    public static func records(for archived: ArchivedBlock, hash: Digest) -> WriteBatch {
        var batch = WriteBatch()
        let height = BigEndianKey.encode(archived.header.height.value)
        batch.put(height, Canonical.encode(archived), in: NodeColumns.blocks)
        batch.put(hash.bytes, height, in: NodeColumns.blockHashes)
        return batch
    }

    public func block(at height: UInt64) throws(BlockArchiveError) -> ArchivedBlock? {
        try blockWithSize(at: height)?.block
    }

    /// The record and its stored size (what it adds to a sync response).
    func blockWithSize(at height: UInt64) throws(BlockArchiveError) -> (block: ArchivedBlock, size: Int)? {
        let bytes: [UInt8]?
        do { bytes = try reader.get(BigEndianKey.encode(height), in: NodeColumns.blocks) } catch { throw .store(error) }
        guard let bytes else { return nil }
        do throws(CanonicalError) {
            return (try Canonical.decodeStored(ArchivedBlock.self, from: bytes), bytes.count)
        } catch {
            throw .corrupt(height: height, reason: "\(error)")
        }
    }

    public func height(ofHash hash: Digest) throws(BlockArchiveError) -> UInt64? {
        let bytes: [UInt8]?
        do { bytes = try reader.get(hash.bytes, in: NodeColumns.blockHashes) } catch { throw .store(error) }
        return bytes.flatMap(BigEndianKey.decode)
    }
}
