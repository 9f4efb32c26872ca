import LedgerCore
import LedgerStore

/// Typed reads of committed records, shared by the executor and the queries.
enum LedgerReads {
    static func head(in reader: some KeyValueReader) throws(LedgerError) -> ChainHead {
        guard let head = try record(ChainHead.self, at: MetaKey.head, in: LedgerColumns.meta, reader: reader) else {
            throw .genesis("the store holds no chain; initialise it from a genesis document first")
        }
        return head
    }

    static func record<T: CanonicalCodable>(
        _ type: T.Type, at key: [UInt8], in column: ColumnFamily = LedgerColumns.state, reader: some KeyValueReader
    ) throws(LedgerError) -> T? {
        let bytes: [UInt8]?
        do { bytes = try reader.get(key, in: column) } catch { throw .fault(.store(error)) }
        guard let bytes else { return nil }
        do {
            return try Canonical.decode(type, from: bytes)
        } catch {
            throw .fault(.corrupt(key: key, reason: "\(error)"))
        }
    }
}
