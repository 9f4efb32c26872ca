import LedgerState
import SwiftASN1

/// The GenesisDocument layout with none of its rules: lists in any order, any
/// strings, any counts. Lets tests write the encodings the real types refuse to.
struct RawGenesis {
    struct RawBureau {
        var id: String
        var nameZh = "局"
        var nameEn = "Bureau"
        var nodeKey: [UInt8]
        var adminKey: [UInt8]
        var codes: [String] = []
        var flags = (false, false, false)
    }

    struct RawType {
        var code: String
        var nameZh = "证"
        var nameEn = "Licence"
        var holderKind = "person"
    }

    var version = 1
    var chainID = "civic-devnet"
    var suite = "standard"
    var time: UInt64 = 0
    var interval: UInt64 = 16
    var bureaus: [RawBureau]
    var types: [RawType]

    /// Mirrors a valid document field for field, so a test can break one thing.
    init(_ document: GenesisDocument) {
        chainID = document.chainID.value
        suite = document.suite.rawValue
        time = document.genesisTimeMillis
        interval = document.checkpointInterval
        bureaus = document.bureaus.map {
            RawBureau(
                id: $0.id.value, nameZh: $0.nameZh, nameEn: $0.nameEn, nodeKey: $0.nodeKey.bytes,
                adminKey: $0.adminKey.bytes, codes: $0.rights.licenceTypes.map(\.value),
                flags: ($0.rights.registersOffices, $0.rights.registersTaxpayers, $0.rights.registersAuditors))
        }
        types = document.licenceTypes.map {
            RawType(code: $0.code.value, nameZh: $0.nameZh, nameEn: $0.nameEn, holderKind: $0.holderKind.rawValue)
        }
    }

    func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        try! coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(version)
            try coder.serialize(ASN1UTF8String(chainID))
            try coder.serialize(ASN1UTF8String(suite))
            try coder.serialize(time)
            try coder.serialize(interval)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for bureau in bureaus {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try coder.serialize(ASN1UTF8String(bureau.id))
                        try coder.serialize(ASN1UTF8String(bureau.nameZh))
                        try coder.serialize(ASN1UTF8String(bureau.nameEn))
                        try coder.serialize(ASN1OctetString(contentBytes: bureau.nodeKey[...]))
                        try coder.serialize(ASN1OctetString(contentBytes: bureau.adminKey[...]))
                        try coder.appendConstructedNode(identifier: .sequence) { coder in
                            try coder.appendConstructedNode(identifier: .sequence) { coder in
                                for code in bureau.codes { try coder.serialize(ASN1UTF8String(code)) }
                            }
                            try coder.serialize(bureau.flags.0)
                            try coder.serialize(bureau.flags.1)
                            try coder.serialize(bureau.flags.2)
                        }
                    }
                }
            }
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for type in types {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try coder.serialize(ASN1UTF8String(type.code))
                        try coder.serialize(ASN1UTF8String(type.nameZh))
                        try coder.serialize(ASN1UTF8String(type.nameEn))
                        try coder.serialize(ASN1UTF8String(type.holderKind))
                    }
                }
            }
        }
        return coder.serializedBytes
    }
}
