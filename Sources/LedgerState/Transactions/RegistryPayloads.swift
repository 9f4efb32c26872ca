import LedgerCore
import SwiftASN1

/// Which registered entity a registry transaction is about.
public enum RegisteredRole: String, Sendable, CaseIterable, Hashable {
    case office, taxpayer, auditor
}

/// Registers an office (counter, 窗口), a taxpayer or an auditor under a key.
///
/// ```
/// Registration ::= SEQUENCE {
///   version INTEGER (1), role UTF8String, id UTF8String, name UTF8String (SIZE (1..128)),
///   key OCTET STRING (SIZE (33)) }
/// ```
public struct Registration: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 400
    public static let maxNodeCount = 6

    public let subject: RegistrySubject
    public let name: String
    public let key: PublicKeyBytes

    public init(subject: RegistrySubject, name: String, key: PublicKeyBytes) throws(CanonicalError) {
        guard (1...LedgerDER.maxNameBytes).contains(name.utf8.count) else {
            throw .invalidField(type: "Registration", field: "name", reason: "must be 1 to \(LedgerDER.maxNameBytes) bytes")
        }
        self.subject = subject
        self.name = name
        self.key = key
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let subject = try RegistrySubject.read(&nodes)
            let name = try LedgerDER.readText(&nodes, field: "name", bytes: 1...LedgerDER.maxNameBytes)
            let key = try LedgerDER.readKey(&nodes, field: "key")
            return try Registration(subject: subject, name: name, key: key)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try subject.write(into: &coder)
            try DERFields.writeUTF8(name, into: &coder)
            try DERFields.writeOctets(key.bytes, into: &coder)
        }
    }
}

/// A registered entity named by role and id.
public enum RegistrySubject: Hashable, Sendable, CustomStringConvertible {
    case office(OfficeID)
    case taxpayer(TaxpayerID)
    case auditor(AuditorID)

    public var role: RegisteredRole {
        switch self {
        case .office: return .office
        case .taxpayer: return .taxpayer
        case .auditor: return .auditor
        }
    }

    public var id: String {
        switch self {
        case let .office(id): return id.value
        case let .taxpayer(id): return id.value
        case let .auditor(id): return id.value
        }
    }

    public var description: String { "\(role.rawValue) \(id)" }

    /// Parses `role` and `id` as they appear on a command line or in JSON.
    public init?(role: RegisteredRole, id: String) {
        switch role {
        case .office: guard let v = OfficeID(id) else { return nil }; self = .office(v)
        case .taxpayer: guard let v = TaxpayerID(id) else { return nil }; self = .taxpayer(v)
        case .auditor: guard let v = AuditorID(id) else { return nil }; self = .auditor(v)
        }
    }

    static func read(_ nodes: inout ASN1NodeCollection.Iterator) throws -> RegistrySubject {
        let roleText = try DERFields.readUTF8(&nodes, field: "role", maxBytes: 16)
        guard let role = RegisteredRole(rawValue: roleText) else {
            throw FieldViolation(field: "role", reason: "unknown role \(roleText)")
        }
        let id = try DERFields.readUTF8(&nodes, field: "id", maxBytes: 64)
        guard let subject = RegistrySubject(role: role, id: id) else {
            let rule: IdentifierRule = role == .taxpayer ? TaxpayerID.rule : OfficeID.rule
            throw FieldViolation(field: "id", reason: "a \(role.rawValue) id must be \(rule.explanation)")
        }
        return subject
    }

    func write(into coder: inout DER.Serializer) throws {
        try DERFields.writeUTF8(role.rawValue, into: &coder)
        try DERFields.writeUTF8(id, into: &coder)
    }
}

/// Disables a registered office, taxpayer or auditor; its key stops working.
///
/// ```
/// Disablement ::= SEQUENCE { version INTEGER (1), role UTF8String, id UTF8String,
///                            reason UTF8String (SIZE (0..256)) }
/// ```
public struct Disablement: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 400
    public static let maxNodeCount = 5

    public let subject: RegistrySubject
    public let reason: String

    public init(subject: RegistrySubject, reason: String) throws(CanonicalError) {
        guard reason.utf8.count <= LedgerDER.maxReasonBytes else {
            throw .invalidField(type: "Disablement", field: "reason", reason: "over \(LedgerDER.maxReasonBytes) bytes")
        }
        self.subject = subject
        self.reason = reason
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let subject = try RegistrySubject.read(&nodes)
            let reason = try LedgerDER.readText(&nodes, field: "reason", bytes: 0...LedgerDER.maxReasonBytes)
            return try Disablement(subject: subject, reason: reason)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try subject.write(into: &coder)
            try DERFields.writeUTF8(reason, into: &coder)
        }
    }
}

/// Replaces a key. Signed by the current key, or, for a registered entity
/// whose key is lost, by the admin key of the bureau that registered it.
///
/// ```
/// KeyRotation ::= SEQUENCE { version INTEGER (1), role UTF8String
///   ("bureau-admin" | "bureau-node" | "office" | "taxpayer" | "auditor"), id UTF8String,
///   newKey OCTET STRING (SIZE (33)) }
/// ```
public struct KeyRotation: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 300
    public static let maxNodeCount = 5

    public let subject: KeyOwner
    public let newKey: PublicKeyBytes

    public init(subject: KeyOwner, newKey: PublicKeyBytes) {
        self.subject = subject
        self.newKey = newKey
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let subject = try KeyOwner.read(&nodes)
            return KeyRotation(subject: subject, newKey: try LedgerDER.readKey(&nodes, field: "newKey"))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try subject.write(into: &coder)
            try DERFields.writeOctets(newKey.bytes, into: &coder)
        }
    }
}
