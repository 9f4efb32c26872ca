import LedgerCore
import SwiftASN1

/// A registered office, taxpayer or auditor.
public struct EntityRecord: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 500
    public static let maxNodeCount = 10

    public let subject: RegistrySubject
    public let name: String
    public var key: PublicKeyBytes
    public let registeredBy: BureauID
    public var active: Bool
    public let registeredAtHeight: Height

    public init(
        subject: RegistrySubject, name: String, key: PublicKeyBytes, registeredBy: BureauID, active: Bool,
        registeredAtHeight: Height
    ) {
        self.subject = subject
        self.name = name
        self.key = key
        self.registeredBy = registeredBy
        self.active = active
        self.registeredAtHeight = registeredAtHeight
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return EntityRecord(
                subject: try RegistrySubject.read(&nodes),
                name: try LedgerDER.readText(&nodes, field: "name", bytes: 1...LedgerDER.maxNameBytes),
                key: try LedgerDER.readKey(&nodes, field: "key"),
                registeredBy: try LedgerDER.readBureau(&nodes, field: "registeredBy"),
                active: try DERFields.readBool(&nodes, field: "active"),
                registeredAtHeight: Height(try DERFields.readUInt64(&nodes, field: "registeredAtHeight")))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try subject.write(into: &coder)
            try DERFields.writeUTF8(name, into: &coder)
            try DERFields.writeOctets(key.bytes, into: &coder)
            try DERFields.writeUTF8(registeredBy.value, into: &coder)
            try coder.serialize(active)
            try coder.serialize(registeredAtHeight.value)
        }
    }
}

/// Who a key belongs to. Keys of bureaus and registered entities are unique
/// across all roles, so one key can never act in two capacities.
public enum KeyOwner: Hashable, Sendable, CustomStringConvertible {
    case bureauAdmin(BureauID)
    case bureauNode(BureauID)
    case registered(RegistrySubject)

    public var description: String {
        switch self {
        case let .bureauAdmin(id): return "admin of bureau \(id)"
        case let .bureauNode(id): return "node of bureau \(id)"
        case let .registered(subject): return subject.description
        }
    }
}

extension KeyOwner {
    /// `role UTF8String ("bureau-admin" | "bureau-node" | "office" | "taxpayer" | "auditor"), id UTF8String`
    static func read(_ nodes: inout ASN1NodeCollection.Iterator) throws -> KeyOwner {
        let role = try DERFields.readUTF8(&nodes, field: "role", maxBytes: 16)
        switch role {
        case "bureau-admin": return .bureauAdmin(try LedgerDER.readBureau(&nodes, field: "id"))
        case "bureau-node": return .bureauNode(try LedgerDER.readBureau(&nodes, field: "id"))
        default:
            guard let registered = RegisteredRole(rawValue: role) else {
                throw FieldViolation(field: "role", reason: "unknown role \(role)")
            }
            let id = try DERFields.readUTF8(&nodes, field: "id", maxBytes: 64)
            guard let subject = RegistrySubject(role: registered, id: id) else {
                throw FieldViolation(field: "id", reason: "not a valid \(role) id")
            }
            return .registered(subject)
        }
    }

    func write(into coder: inout DER.Serializer) throws {
        switch self {
        case let .bureauAdmin(id):
            try DERFields.writeUTF8("bureau-admin", into: &coder)
            try DERFields.writeUTF8(id.value, into: &coder)
        case let .bureauNode(id):
            try DERFields.writeUTF8("bureau-node", into: &coder)
            try DERFields.writeUTF8(id.value, into: &coder)
        case let .registered(subject):
            try subject.write(into: &coder)
        }
    }
}

/// `KeyOwner` as a state value.
struct KeyOwnerRecord: CanonicalCodable, Hashable {
    static let maxEncodedSize = 120
    static let maxNodeCount = 4

    let owner: KeyOwner

    init(_ owner: KeyOwner) { self.owner = owner }

    static var defaultIdentifier: ASN1Identifier { .sequence }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            return KeyOwnerRecord(try KeyOwner.read(&nodes))
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try owner.write(into: &coder)
        }
    }
}

/// A bureau as kept in state (genesis, then governance).
struct BureauRecord: CanonicalCodable, Hashable {
    static let maxEncodedSize = GovernanceChange.maxEncodedSize
    static let maxNodeCount = GovernanceChange.maxNodeCount

    let bureau: Bureau

    init(_ bureau: Bureau) { self.bureau = bureau }

    static var defaultIdentifier: ASN1Identifier { .sequence }

    // The Bureau layout of GenesisDocument, so genesis and governance agree.
    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            guard let node = nodes.next() else { throw FieldViolation(field: "bureau", reason: "missing") }
            return BureauRecord(try Bureau(derNode: node))
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try bureau.serialize(into: &coder)
        }
    }
}

/// The ids of the current bureaus, ascending: the governance quorum is counted
/// from it without scanning.
struct BureauSetRecord: CanonicalCodable, Hashable {
    static let maxEncodedSize = 64 * 40
    static let maxNodeCount = 4 + GenesisDocument.maxBureaus

    let ids: [BureauID]

    init(_ ids: [BureauID]) { self.ids = ids.sorted() }

    static var defaultIdentifier: ASN1Identifier { .sequence }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            let ids = try DERFields.readSequence(&nodes, field: "bureaus", maxCount: GenesisDocument.maxBureaus) { node in
                let text = try GenesisDER.readUTF8(node, field: "bureaus")
                do { return try BureauID(text) } catch { throw FieldViolation(field: "bureaus", reason: "\(error)") }
            }
            try LedgerDER.requireAscending(ids, field: "bureaus")
            return BureauSetRecord(ids)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for id in ids { try DERFields.writeUTF8(id.value, into: &coder) }
            }
        }
    }
}

/// A catalogue entry as kept in state.
struct LicenceTypeRecord: CanonicalCodable, Hashable {
    static let maxEncodedSize = 600
    static let maxNodeCount = 8

    let info: LicenceTypeInfo

    init(_ info: LicenceTypeInfo) { self.info = info }

    static var defaultIdentifier: ASN1Identifier { .sequence }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: [1])
            guard let node = nodes.next() else { throw FieldViolation(field: "licenceType", reason: "missing") }
            return LicenceTypeRecord(try LicenceTypeInfo(derNode: node))
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try info.serialize(into: &coder)
        }
    }
}
