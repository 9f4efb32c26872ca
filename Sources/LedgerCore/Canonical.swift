import SwiftASN1

/// A value with exactly one byte encoding: strict DER, with a size cap.
///
/// Everything that is hashed or signed conforms. Decoding rejects trailing bytes,
/// non-minimal lengths and integers (swift-asn1's DER rules), unknown versions and
/// oversize fields, so two replicas can never disagree about what bytes mean.
public protocol CanonicalCodable: DERImplicitlyTaggable, Sendable {
    /// Largest accepted encoding in bytes, checked before parsing begins.
    static var maxEncodedSize: Int { get }

    /// Most TLV nodes a valid encoding can contain, checked before parsing
    /// builds its node tree (see `DERNodeCount`).
    static var maxNodeCount: Int { get }
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
        let input = Array(bytes)
        let value = try decodeStructure(type, from: input)
        // Belt and braces: DER is meant to be unique, so re-encoding must give the
        // input back. A mismatch means a parser gap, and the bytes are refused.
        guard encode(value) == input else {
            throw .malformed(type: String(describing: T.self), reason: "re-encoding differs from input")
        }
        return value
    }

    /// Decodes bytes this program wrote itself (its own store), where the
    /// re-encode comparison of `decode` would only double the cost: the size
    /// and node caps and every field rule still apply, so this is as bounded
    /// and total as `decode`. Never use it on bytes from the network.
    public static func decodeStored<T: CanonicalCodable>(
        _ type: T.Type, from bytes: [UInt8]
    ) throws(CanonicalError) -> T {
        try decodeStructure(type, from: bytes)
    }

    /// Decoding without the final re-encode comparison: what the parser and the
    /// field rules alone accept. Internal so tests can check that this layer is
    /// strict by itself, rather than only behind the safety net.
    static func decodeStructure<T: CanonicalCodable>(_ type: T.Type, from input: [UInt8]) throws(CanonicalError) -> T {
        // Only errors need the type's name; building it costs as much as
        // parsing a small record, so it is not built on success.
        var name: String { String(describing: T.self) }
        guard input.count <= T.maxEncodedSize else {
            throw .tooLarge(type: name, size: input.count, limit: T.maxEncodedSize)
        }
        guard !DERNodeCount.exceeds(T.maxNodeCount, in: input) else {
            throw .malformed(type: name, reason: "more than \(T.maxNodeCount) DER nodes")
        }
        do {
            return try T(derEncoded: try DER.parse(input))
        } catch let violation as FieldViolation {
            throw .invalidField(type: name, field: violation.field, reason: violation.reason)
        } catch let violation as VersionViolation {
            throw .unsupportedVersion(type: name, found: violation.found, supported: violation.supported)
        } catch let error as CanonicalError {
            throw error
        } catch {
            throw .malformed(type: name, reason: DERErrorText.describe(error))
        }
    }
}
