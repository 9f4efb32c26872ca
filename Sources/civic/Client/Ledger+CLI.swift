import CLISupport
import LedgerCore
import LedgerState

/// Command-line text to ledger identifiers, each refusal naming the option.
enum Identifiers {
    static func licence(_ text: String, option: String = "licence id") throws(CLIFailure) -> LicenceID {
        LicenceID(Digest(unchecked: try Arguments.hex(text, bytes: Digest.byteCount, option: option)))
    }

    static func consent(_ text: String, option: String = "consent id") throws(CLIFailure) -> ConsentID {
        ConsentID(Digest(unchecked: try Arguments.hex(text, bytes: Digest.byteCount, option: option)))
    }

    static func office(_ text: String, option: String = "--office") throws(CLIFailure) -> OfficeID {
        guard let id = OfficeID(text) else { throw .input("\(option) must be \(OfficeID.rule.explanation), not \"\(text.prefix(80))\"") }
        return id
    }

    static func taxpayer(_ text: String, option: String) throws(CLIFailure) -> TaxpayerID {
        guard let id = TaxpayerID(text) else {
            throw .input("\(option) must be a 统一社会信用代码 (unified social credit code): \(TaxpayerID.rule.explanation), not \"\(text.prefix(80))\"")
        }
        return id
    }

    static func licenceType(_ text: String, option: String = "--type") throws(CLIFailure) -> LicenceTypeCode {
        do { return try LicenceTypeCode(text) } catch {
            throw .input("\(option) must be a licence type code such as RESIDENT_ID_CARD or BUSINESS_LICENCE, not \"\(text.prefix(80))\"")
        }
    }

    static func invoice(code: String, number: String) throws(CLIFailure) -> InvoiceID {
        guard let id = InvoiceID(code: code, number: number) else {
            throw .input("an invoice is its 发票代码 (code, 10 to 12 digits) and 发票号码 (number, 8 to 20 digits), not \"\(code.prefix(40))\" \"\(number.prefix(40))\"")
        }
        return id
    }

    static func txid(_ text: String) throws(CLIFailure) -> String {
        _ = try Arguments.hex(text, bytes: Digest.byteCount, option: "transaction id")
        return text.lowercased()
    }
}

/// Builds a payload the ledger validates, turning a construction error into an input error.
func payload<T>(_ build: () throws(CanonicalError) -> T) throws(CLIFailure) -> T {
    do { return try build() } catch { throw .input("\(error)") }
}
