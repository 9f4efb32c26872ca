import LedgerCore
import LedgerCrypto

/// Why a transaction could not be built or signed.
public enum TransactionSigningError: Error, Equatable, CustomStringConvertible {
    case crypto(CryptoError)
    case encoding(CanonicalError)
    case wrongSuite(key: SuiteID, chain: SuiteID)

    public var description: String {
        switch self {
        case let .crypto(error): return "\(error)"
        case let .encoding(error): return "\(error)"
        case let .wrongSuite(key, chain): return "the key is a \(key) key but the chain uses the \(chain) suite"
        }
    }
}

extension LedgerOperation {
    /// The operation in a transaction envelope signed by `key`.
    public func signed(
        by key: PrivateKey, chain: ChainParameters, nonce: UInt64, expiryHeight: Height
    ) throws(TransactionSigningError) -> SignedTransaction {
        guard key.suite == chain.suite.id else { throw .wrongSuite(key: key.suite, chain: chain.suite.id) }
        do {
            let transaction = try Transaction(
                chainID: chain.chainID, sender: key.publicKey.compressed, nonce: nonce, expiryHeight: expiryHeight,
                kind: kind.rawValue, payload: payload)
            let signature: [UInt8]
            do { signature = try chain.suite.sign(transaction.signingMessage, with: key) } catch { throw TransactionSigningError.crypto(error) }
            return try SignedTransaction(transaction: transaction, signature: signature)
        } catch let error as TransactionSigningError {
            throw error
        } catch let error as CanonicalError {
            throw .encoding(error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }
}

extension ConsentGrant {
    /// The holder's signature over this grant.
    public func signed(by holderKey: PrivateKey, suite: any CryptoSuite) throws(TransactionSigningError) -> SignedConsentGrant {
        guard holderKey.suite == suite.id else { throw .wrongSuite(key: holderKey.suite, chain: suite.id) }
        let signature: [UInt8]
        do { signature = try suite.sign(signingMessage, with: holderKey) } catch { throw .crypto(error) }
        do { return try SignedConsentGrant(grant: self, signature: signature) } catch { throw .encoding(error) }
    }
}

extension GovernanceChange {
    /// One bureau admin's approval of this change.
    public func approval(
        by bureau: BureauID, adminKey: PrivateKey, suite: any CryptoSuite
    ) throws(TransactionSigningError) -> GovernanceApproval {
        guard adminKey.suite == suite.id else { throw .wrongSuite(key: adminKey.suite, chain: suite.id) }
        do {
            return GovernanceApproval(bureau: bureau, signature: try suite.sign(signingMessage, with: adminKey))
        } catch {
            throw .crypto(error)
        }
    }
}
