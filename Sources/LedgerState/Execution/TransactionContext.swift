import LedgerCore
import LedgerCrypto

/// Why a rule did not succeed: a refusal becomes the receipt, a fault stops
/// the block.
enum RuleFailure: Error {
    case refused(Refusal)
    case fault(LedgerFault)

    static func refuse(_ code: ReasonCode, _ message: String) -> RuleFailure {
        .refused(Refusal(code, message))
    }
}

/// Everything a rule may look at or change while applying one transaction.
struct TransactionContext {
    var overlay: StateOverlay
    let chain: ChainParameters
    /// Set per transaction; one context serves a whole block so the overlay
    /// is never copied.
    var sender: PublicKeyBytes
    var transaction: TxID
    let height: Height
    let timeMillis: UInt64
    /// False when the caller has verified every signature a transaction
    /// carries before the block (the mempool does this in parallel).
    let checkEmbeddedSignatures: Bool

    func record<T: CanonicalCodable>(_ type: T.Type, at key: [UInt8]) throws(RuleFailure) -> T? {
        do {
            return try overlay.record(type, at: key)
        } catch {
            throw .fault(error)
        }
    }

    func counter(at key: [UInt8]) throws(RuleFailure) -> UInt64 {
        let bytes: [UInt8]?
        do { bytes = try overlay.get(key) } catch { throw .fault(error) }
        guard let bytes else { return 0 }
        guard let value = readBigEndian(bytes[...]) else {
            throw .fault(.corrupt(key: key, reason: "counter of \(bytes.count) bytes"))
        }
        return value
    }

    mutating func setCounter(_ value: UInt64, at key: [UInt8]) {
        overlay.putRaw(bigEndian(value), at: key)
    }

    // MARK: Roles

    func owner(of key: PublicKeyBytes) throws(RuleFailure) -> KeyOwner? {
        try record(KeyOwnerRecord.self, at: StateKey.keyOwner(key))?.owner
    }

    func bureau(_ id: BureauID) throws(RuleFailure) -> Bureau? {
        try record(BureauRecord.self, at: StateKey.bureau(id))?.bureau
    }

    /// The bureau whose current admin key sent this transaction.
    func senderBureau() throws(RuleFailure) -> Bureau {
        if case let .bureauAdmin(id)? = try owner(of: sender), let bureau = try bureau(id), bureau.adminKey == sender {
            return bureau
        }
        throw .refuse(.notABureau, "the sender \(sender.hex) is not the admin key of a current bureau")
    }

    func entity(_ subject: RegistrySubject) throws(RuleFailure) -> EntityRecord? {
        try record(EntityRecord.self, at: StateKey.entity(subject))
    }

    /// The registered entity whose current key sent this transaction, if any.
    func senderEntity() throws(RuleFailure) -> EntityRecord? {
        guard case let .registered(subject)? = try owner(of: sender), let entity = try entity(subject),
              entity.key == sender
        else { return nil }
        return entity
    }

    func requireUnusedKey(_ key: PublicKeyBytes) throws(RuleFailure) {
        if let owner = try owner(of: key) {
            throw .refuse(.keyInUse, "key \(key.hex) already belongs to \(owner)")
        }
    }

    func licenceType(_ code: LicenceTypeCode) throws(RuleFailure) -> LicenceTypeInfo? {
        try record(LicenceTypeRecord.self, at: StateKey.licenceType(code))?.info
    }

    func verify(signature: [UInt8], message: [UInt8], by key: PublicKeyBytes) -> Bool {
        guard let publicKey = try? chain.suite.publicKey(sec1: key.bytes) else { return false }
        return chain.suite.verify(signature: signature, for: message, publicKey: publicKey)
    }
}

/// What every block of one chain is checked against: fixed at genesis.
public struct ChainParameters: Sendable {
    public let chainID: ChainID
    public let suite: any CryptoSuite

    public init(chainID: ChainID, suite: any CryptoSuite) {
        self.chainID = chainID
        self.suite = suite
    }

    public init(genesis: GenesisDocument) {
        self.init(chainID: genesis.chainID, suite: CryptoSuites.suite(genesis.suite))
    }
}
