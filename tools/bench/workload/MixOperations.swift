import LedgerCore
import LedgerCrypto
import LedgerState

/// One builder per transaction kind of the benchmark mix. bench-ledger (blocks
/// applied in process) and civic-bench (a devnet over HTTP) both build their
/// transactions here, so their payloads, and so their sizes, stay the same.
public enum MixOperations {
    /// A licence of `type` for `holder`, valid from 2026-01-01 for the long term;
    /// `salt` makes the commitment and document digest distinct per licence.
    public static func issueLicence(
        type: String, holder: PrivateKey, salt: [UInt8], suite: any CryptoSuite
    ) throws -> LedgerOperation {
        .issueLicence(LicenceIssue(
            licenceType: try LicenceTypeCode(type), holderKey: holder.publicKey.compressed,
            holderCommitment: suite.digest(salt + [0]), documentDigest: suite.digest(salt + [1]),
            validFrom: 1_767_225_600_000, validUntil: LicenceIssue.longTerm))
    }

    /// The holder's grant of `licence` to `office` (免证办), and the id the
    /// chain will give it: known before submission, so uses can be pre-signed.
    public static func grantConsent(
        holder: PrivateKey, licence: LicenceID, office: OfficeID, notAfter: UInt64, maxUses: UInt64, nonce: UInt64,
        chain: ChainParameters
    ) throws -> (operation: LedgerOperation, consent: ConsentID) {
        let signed = try ConsentGrant(
            chainID: chain.chainID, holder: holder.publicKey.compressed, licences: [licence], office: office,
            purpose: "免证办", notAfter: notAfter, maxUses: maxUses, nonce: nonce
        ).signed(by: holder, suite: chain.suite)
        return (.grantConsent(signed), signed.grant.id(using: chain.suite))
    }

    public static func useConsent(_ consent: ConsentID, licence: LicenceID) -> LedgerOperation {
        .useConsent(ConsentAction(consent: consent, licence: licence))
    }

    /// An invoice of `amountFen` to `buyer`, with a fixed 600 fen of tax.
    public static func issueInvoice(
        _ id: InvoiceID, buyer: TaxpayerID, amountFen: UInt64, salt: [UInt8], suite: any CryptoSuite
    ) throws -> LedgerOperation {
        .issueInvoice(try InvoiceIssue(invoice: id, buyer: buyer, amountFen: amountFen, taxFen: 600, documentDigest: suite.digest(salt)))
    }

    public static func claimInvoice(_ id: InvoiceID) throws -> LedgerOperation {
        .claimInvoice(try InvoiceAction(invoice: id))
    }

    public static func reimburseInvoice(_ id: InvoiceID) throws -> LedgerOperation {
        .reimburseInvoice(try InvoiceAction(invoice: id, reason: "报销"))
    }

    public static func reverseInvoice(_ id: InvoiceID) throws -> LedgerOperation {
        .reverseInvoice(try InvoiceAction(invoice: id, reason: "红冲"))
    }

    public static func registerOffice(_ id: OfficeID, key: PrivateKey) throws -> LedgerOperation {
        .register(try Registration(subject: .office(id), name: id.value, key: key.publicKey.compressed))
    }

    public static func registerTaxpayer(_ id: TaxpayerID, key: PrivateKey) throws -> LedgerOperation {
        .register(try Registration(subject: .taxpayer(id), name: id.value, key: key.publicKey.compressed))
    }
}
