import SwiftASN1

/// One readable line for a swift-asn1 error, without its source location.
public enum DERErrorText {
    public static func describe(_ error: any Error) -> String {
        guard let asn1 = error as? ASN1Error else { return String(describing: error) }
        // ASN1Error keeps its reason private; its description is
        // "ASN1Error.<code>: <reason> <file>:<line>". Keep code and reason only.
        var text = Substring(asn1.description)
        if text.hasPrefix("ASN1Error.") { text = text.dropFirst("ASN1Error.".count) }
        if let space = text.lastIndex(of: " "), text[space...].contains(".swift:") {
            text = text[..<space]
        }
        return String(text)
    }
}
