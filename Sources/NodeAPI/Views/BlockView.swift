import LedgerCore
import LedgerCrypto

/// A committed block: its header fields, hash, transaction ids and the commit
/// certificate that proves 2f+1 bureaus agreed to it.
struct BlockView: Encodable, Sendable {
    let height: UInt64
    let blockHash: String
    let chainID: String
    let previousHash: String
    let timestampMillis: UInt64
    let transactionsRoot: String
    /// The state root after the *parent* block (PBFT executes after commit).
    let stateRoot: String
    let proposer: String
    let transactionCount: Int
    let transactions: [String]
    let commitCertificate: String
    let signers: [Int]

    init(_ stored: StoredBlock, suite: any CryptoSuite) {
        let header = stored.block.header
        height = header.height.value
        blockHash = stored.blockHash.hex
        chainID = header.chainID.value
        previousHash = header.previousHash.hex
        timestampMillis = header.timestampMillis
        transactionsRoot = header.transactionsRoot.hex
        stateRoot = header.stateRoot.hex
        proposer = header.proposer.hex
        transactionCount = stored.block.transactions.count
        transactions = stored.block.transactions.map { $0.transaction.id(using: suite).hex }
        commitCertificate = Hex.encode(stored.commitCertificate)
        signers = stored.signers
    }
}
