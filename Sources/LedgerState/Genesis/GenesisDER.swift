import LedgerCore
import SwiftASN1

/// DER readers for the genesis types. LedgerCore keeps its field helpers
/// internal, so these raise `CanonicalError.invalidField` themselves, which
/// `Canonical.decode` passes through unchanged.
enum GenesisDER {
    static let typeName = "GenesisDocument"

    static func violation(_ field: String, _ reason: String) -> CanonicalError {
        .invalidField(type: typeName, field: field, reason: reason)
    }

    /// A value rule broken by decoded fields, reported with the field it concerns.
    static func violation(_ field: String, _ error: GenesisError) -> CanonicalError {
        violation(field, error.description)
    }

    static func next(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> ASN1Node {
        guard let node = nodes.next() else { throw violation(field, "missing") }
        return node
    }

    static func readUTF8(_ nodes: inout ASN1NodeCollection.Iterator, field: String, maxBytes: Int) throws -> String {
        let raw = try ASN1UTF8String(derEncoded: try next(&nodes, field: field))
        let bytes = Array(raw.bytes)
        guard bytes.count <= maxBytes else {
            throw violation(field, "\(bytes.count) bytes, over the limit of \(maxBytes)")
        }
        // Invalid UTF-8 would be repaired on decoding and so re-encode differently.
        guard let text = String(validating: bytes, as: UTF8.self) else { throw violation(field, "not valid UTF-8") }
        return text
    }

    static func readKey(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> PublicKeyBytes {
        let octets = try ASN1OctetString(derEncoded: try next(&nodes, field: field))
        guard let key = PublicKeyBytes(octets.bytes) else {
            throw violation(field, "not a 33-byte compressed SEC1 public key")
        }
        return key
    }

    static func readUInt64(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> UInt64 {
        do {
            return try UInt64(derEncoded: try next(&nodes, field: field))
        } catch let error as ASN1Error where error.code == .invalidASN1IntegerEncoding {
            throw violation(field, "not an integer in 0...\(UInt64.max)")
        }
    }

    static func readBool(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Bool {
        try Bool(derEncoded: try next(&nodes, field: field))
    }

    /// Reads a SEQUENCE OF, refusing more than `limit` elements as soon as the
    /// limit is passed and any element not strictly after the one before it, so
    /// one document has exactly one encoding.
    static func readSortedList<T, K: Comparable>(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, limit: Int, key: (T) -> K,
        element: (ASN1Node) throws -> T
    ) throws -> [T] {
        try DER.sequence(try next(&nodes, field: field), identifier: .sequence) { items in
            var out: [T] = []
            while let item = items.next() {
                guard out.count < limit else { throw violation(field, "more than \(limit) elements") }
                let value = try element(item)
                if let last = out.last, !(key(last) < key(value)) {
                    throw violation(field, "not in ascending order without repeats")
                }
                out.append(value)
            }
            return out
        }
    }

    static func writeUTF8(_ text: String, into coder: inout DER.Serializer) throws {
        try coder.serialize(ASN1UTF8String(text))
    }

    static func writeKey(_ key: PublicKeyBytes, into coder: inout DER.Serializer) throws {
        try coder.serialize(ASN1OctetString(contentBytes: key.bytes[...]))
    }
}

// MARK: - LicenceTypeInfo

extension LicenceTypeInfo {
    /// SEQUENCE, code, two names, holder kind.
    static let maxNodeCount = 5

    init(derNode node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let field = "licenceTypes"
            let codeText = try GenesisDER.readUTF8(&nodes, field: "\(field).code", maxBytes: 32)
            let code: LicenceTypeCode
            do throws(GenesisError) { code = try LicenceTypeCode(codeText) } catch { throw GenesisDER.violation("\(field).code", error) }
            let nameZh = try GenesisDER.readUTF8(&nodes, field: "\(field).nameZh", maxBytes: GenesisText.maxNameBytes)
            let nameEn = try GenesisDER.readUTF8(&nodes, field: "\(field).nameEn", maxBytes: GenesisText.maxNameBytes)
            let kindText = try GenesisDER.readUTF8(&nodes, field: "\(field).holderKind", maxBytes: 16)
            guard let kind = HolderKind(rawValue: kindText) else {
                throw GenesisDER.violation("\(field).holderKind", GenesisError.unknownHolderKind(kindText))
            }
            do throws(GenesisError) {
                return try LicenceTypeInfo(code: code, nameZh: nameZh, nameEn: nameEn, holderKind: kind)
            } catch {
                throw GenesisDER.violation(field, error)
            }
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try GenesisDER.writeUTF8(code.value, into: &coder)
            try GenesisDER.writeUTF8(nameZh, into: &coder)
            try GenesisDER.writeUTF8(nameEn, into: &coder)
            try GenesisDER.writeUTF8(holderKind.rawValue, into: &coder)
        }
    }
}

// MARK: - Bureau and BureauRights

extension BureauRights {
    /// SEQUENCE, the code list and its elements, three booleans.
    static let maxNodeCount = 2 + GenesisDocument.maxLicenceTypes + 3

    init(derNode node: ASN1Node, bureau: BureauID) throws {
        let field = "bureaus.\(bureau).rights"
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let codes = try GenesisDER.readSortedList(
                &nodes, field: "\(field).licenceTypes", limit: GenesisDocument.maxLicenceTypes, key: { (code: LicenceTypeCode) in code }
            ) { item in
                let text = try GenesisDER.readUTF8(item, field: "\(field).licenceTypes")
                do throws(GenesisError) { return try LicenceTypeCode(text) } catch { throw GenesisDER.violation("\(field).licenceTypes", error) }
            }
            let offices = try GenesisDER.readBool(&nodes, field: "\(field).registersOffices")
            let taxpayers = try GenesisDER.readBool(&nodes, field: "\(field).registersTaxpayers")
            let auditors = try GenesisDER.readBool(&nodes, field: "\(field).registersAuditors")
            do throws(GenesisError) {
                return try BureauRights(
                    licenceTypes: codes, registersOffices: offices, registersTaxpayers: taxpayers,
                    registersAuditors: auditors)
            } catch {
                throw GenesisDER.violation(field, error)
            }
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for code in licenceTypes { try GenesisDER.writeUTF8(code.value, into: &coder) }
            }
            try coder.serialize(registersOffices)
            try coder.serialize(registersTaxpayers)
            try coder.serialize(registersAuditors)
        }
    }
}

extension GenesisDER {
    /// A list element that is a lone UTF8String (no iterator to advance).
    static func readUTF8(_ node: ASN1Node, field: String) throws -> String {
        let raw = try ASN1UTF8String(derEncoded: node)
        guard let text = String(validating: Array(raw.bytes), as: UTF8.self) else {
            throw violation(field, "not valid UTF-8")
        }
        return text
    }
}

extension Bureau {
    /// SEQUENCE, id, two names, two keys, rights.
    static let maxNodeCount = 6 + BureauRights.maxNodeCount

    init(derNode node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let idText = try GenesisDER.readUTF8(&nodes, field: "bureaus.id", maxBytes: 32)
            let id: BureauID
            do throws(GenesisError) { id = try BureauID(idText) } catch { throw GenesisDER.violation("bureaus.id", error) }
            let field = "bureaus.\(id)"
            let nameZh = try GenesisDER.readUTF8(&nodes, field: "\(field).nameZh", maxBytes: GenesisText.maxNameBytes)
            let nameEn = try GenesisDER.readUTF8(&nodes, field: "\(field).nameEn", maxBytes: GenesisText.maxNameBytes)
            let nodeKey = try GenesisDER.readKey(&nodes, field: "\(field).nodeKey")
            let adminKey = try GenesisDER.readKey(&nodes, field: "\(field).adminKey")
            let rights = try BureauRights(derNode: try GenesisDER.next(&nodes, field: "\(field).rights"), bureau: id)
            do throws(GenesisError) {
                return try Bureau(
                    id: id, nameZh: nameZh, nameEn: nameEn, nodeKey: nodeKey, adminKey: adminKey, rights: rights)
            } catch {
                throw GenesisDER.violation(field, error)
            }
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try GenesisDER.writeUTF8(id.value, into: &coder)
            try GenesisDER.writeUTF8(nameZh, into: &coder)
            try GenesisDER.writeUTF8(nameEn, into: &coder)
            try GenesisDER.writeKey(nodeKey, into: &coder)
            try GenesisDER.writeKey(adminKey, into: &coder)
            try rights.serialize(into: &coder)
        }
    }
}
