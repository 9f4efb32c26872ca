import SwiftASN1

/// A value with exactly one byte encoding: strict DER, with a size cap.
///
/// Everything that is hashed or signed conforms. Decoding rejects trailing bytes,
/// non-minimal lengths and integers (swift-asn1's DER rules), unknown versions and
/// oversize fields, so two replicas can never disagree about what bytes mean.
public protocol CanonicalCodable: DERImplicitlyTaggable, Sendable {
    /// Largest accepted encoding in bytes, checked before parsing begins.
    static var maxEncodedSize: Int { get }
}

public enum Canonical {
    public static func encode<T: CanonicalCodable>(_ value: T) -> [UInt8] {
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(value)
        } catch {
            // Serialising our own validated values cannot fail: every field was
            // checked on construction. Reaching here is a programming error.
            preconditionFailure("canonical encoding of \(T.self) failed: \(error)")
        }
        let bytes = serializer.serializedBytes
        precondition(bytes.count <= T.maxEncodedSize, "\(T.self) encodes to \(bytes.count) bytes, over its cap")
        return bytes
    }

    public static func decode<T: CanonicalCodable>(
        _ type: T.Type, from bytes: some Collection<UInt8>
    ) throws(CanonicalError) -> T {
        let name = String(describing: T.self)
        guard bytes.count <= T.maxEncodedSize else {
            throw .tooLarge(type: name, size: bytes.count, limit: T.maxEncodedSize)
        }
        let value: T
        do {
            let node = try DER.parse(Array(bytes))
            value = try T(derEncoded: node)
        } catch let violation as FieldViolation {
            throw .invalidField(type: name, field: violation.field, reason: violation.reason)
        } catch let violation as VersionViolation {
            throw .unsupportedVersion(type: name, found: violation.found, supported: violation.supported)
        } catch let error as CanonicalError {
            throw error
        } catch {
            throw .malformed(type: name, reason: describe(error))
        }
        // Belt and braces: DER is meant to be unique, so re-encoding must give the
        // input back. A mismatch means a parser gap, and the bytes are refused.
        guard encode(value).elementsEqual(bytes) else {
            throw .malformed(type: name, reason: "re-encoding differs from input")
        }
        return value
    }

    private static func describe(_ error: any Error) -> String {
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
