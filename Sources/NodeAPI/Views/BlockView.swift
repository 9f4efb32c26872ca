import LedgerCore
import LedgerCrypto
import NodeAPIModel

extension BlockView {
    init(_ stored: StoredBlock, suite: any CryptoSuite) {
        let header = stored.block.header
        self.init(
            height: header.height.value, blockHash: stored.blockHash.hex, chainID: header.chainID.value,
            previousHash: header.previousHash.hex, timestampMillis: header.timestampMillis,
            transactionsRoot: header.transactionsRoot.hex, stateRoot: header.stateRoot.hex, proposer: header.proposer.hex,
            transactionCount: stored.block.transactions.count,
            transactions: stored.block.transactions.map { $0.transaction.id(using: suite).hex },
            commitCertificate: Hex.encode(stored.commitCertificate), signers: stored.signers)
    }
}
