import LedgerState

/// A licence type code from a query parameter or a JSON field named `type`.
enum LicenceTypeInput {
    static func code(_ text: String) throws(APIError) -> LicenceTypeCode {
        do { return try LicenceTypeCode(text) } catch {
            throw .badParameter("type", "a licence type code is 2 to 32 of [A-Z0-9_], starting with a letter")
        }
    }
}
