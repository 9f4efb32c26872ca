import LedgerCore
import LedgerStore

/// The column families the ledger keeps, and the key layout inside them.
///
/// `state` holds every record and is what the state root authenticates;
/// `index` holds derived, ordered keys for the queries (rebuilt from `state` if
/// lost); `receipts` keeps each block's receipts in order; `tree` holds the
/// state tree's nodes; `meta` the chain head. All are written in one batch per block.
public enum LedgerColumns {
    public static let state = try! ColumnFamily("state")
    public static let index = try! ColumnFamily("index")
    public static let receipts = try! ColumnFamily("receipts")
    public static let tree = try! ColumnFamily("tree")
    public static let meta = try! ColumnFamily("meta")

    public static let all: [ColumnFamily] = [state, index, receipts, tree, meta]
}

/// Keys of the authenticated state. The first byte names the record type, so
/// the namespaces never collide and a proof's key says what it proves.
enum StateKey {
    static func bureau(_ id: BureauID) -> [UInt8] { [0x01] + Array(id.value.utf8) }
    static let bureauSet: [UInt8] = [0x0D]
    /// Marks a removed bureau's id as never to be reused.
    static func retiredBureau(_ id: BureauID) -> [UInt8] { [0x0F] + Array(id.value.utf8) }
    static func keyOwner(_ key: PublicKeyBytes) -> [UInt8] { [0x02] + key.bytes }
    static func entity(_ subject: RegistrySubject) -> [UInt8] {
        [0x03, roleByte(subject.role)] + Array(subject.id.utf8)
    }
    static func entityPrefix(_ role: RegisteredRole) -> [UInt8] { [0x03, roleByte(role)] }
    // 0x04 is retired (a per-sender nonce in early drafts); never reuse it.
    static func licence(_ id: LicenceID) -> [UInt8] { [0x05] + id.digest.bytes }
    static func consent(_ id: ConsentID) -> [UInt8] { [0x06] + id.digest.bytes }
    static func consentUse(_ id: ConsentID, _ index: UInt64) -> [UInt8] { [0x07] + id.digest.bytes + bigEndian(index) }
    static func consentUsePrefix(_ id: ConsentID) -> [UInt8] { [0x07] + id.digest.bytes }
    static func invoice(_ id: InvoiceID) -> [UInt8] { [0x08] + Array(id.description.utf8) }
    // 0x00 ends the variable-length id, which never contains it.
    static func invoiceEvent(_ id: InvoiceID, _ index: UInt64) -> [UInt8] { invoiceEventPrefix(id) + bigEndian(index) }
    static func invoiceEventPrefix(_ id: InvoiceID) -> [UInt8] { [0x09] + Array(id.description.utf8) + [0x00] }
    static func receipt(_ tx: TxID) -> [UInt8] { [0x0A] + tx.digest.bytes }
    static let governanceSequence: [UInt8] = [0x0B]
    static func licenceType(_ code: LicenceTypeCode) -> [UInt8] { [0x0C] + Array(code.value.utf8) }

    private static func roleByte(_ role: RegisteredRole) -> UInt8 {
        switch role {
        case .office: return 1
        case .taxpayer: return 2
        case .auditor: return 3
        }
    }
}

/// Keys of the `index` column family; values are empty, the key is the entry.
enum IndexKey {
    static func holderLicence(_ holder: PublicKeyBytes, _ type: LicenceTypeCode, _ id: LicenceID) -> [UInt8] {
        holderLicencePrefix(holder, type) + id.digest.bytes
    }
    static func holderLicencePrefix(_ holder: PublicKeyBytes, _ type: LicenceTypeCode?) -> [UInt8] {
        var key: [UInt8] = [0x21] + holder.bytes
        if let type { key += Array(type.value.utf8) + [0x00] }
        return key
    }
    static func holderConsent(_ holder: PublicKeyBytes, _ height: Height, _ id: ConsentID) -> [UInt8] {
        holderConsentPrefix(holder) + bigEndian(height.value) + id.digest.bytes
    }
    static func holderConsentPrefix(_ holder: PublicKeyBytes) -> [UInt8] { [0x22] + holder.bytes }
    static func sellerInvoice(_ seller: TaxpayerID, _ timeMillis: UInt64, _ id: InvoiceID) -> [UInt8] {
        partyPrefix(sellerTag, seller) + bigEndian(timeMillis) + Array(id.description.utf8)
    }
    static func buyerInvoice(_ buyer: TaxpayerID, _ timeMillis: UInt64, _ id: InvoiceID) -> [UInt8] {
        partyPrefix(buyerTag, buyer) + bigEndian(timeMillis) + Array(id.description.utf8)
    }
    static func partyPrefix(_ tag: UInt8, _ party: TaxpayerID) -> [UInt8] { [tag] + Array(party.value.utf8) }
    static let sellerTag: UInt8 = 0x23
    static let buyerTag: UInt8 = 0x24
}

/// Keys of the `receipts` column family: height, then position in the block.
enum ReceiptKey {
    static func at(_ height: Height, _ index: UInt64) -> [UInt8] { bigEndian(height.value) + bigEndian(index) }
    static func blockPrefix(_ height: Height) -> [UInt8] { bigEndian(height.value) }
}

enum MetaKey {
    static let head: [UInt8] = Array("head".utf8)
    /// Suite hash of the genesis document the store was created from.
    static let genesis: [UInt8] = Array("genesis".utf8)
}

func bigEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
}

func readBigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64? {
    guard bytes.count == 8 else { return nil }
    return bytes.reduce(0) { ($0 << 8) | UInt64($1) }
}
