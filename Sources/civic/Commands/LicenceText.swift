import NodeAPIModel

/// How a licence reads in text output.
enum LicenceText {
    static func typeName(_ type: LicenceView.TypeView) -> String {
        [type.code, type.nameZh].compactMap { $0 }.joined(separator: " ")
    }

    static func until(_ licence: LicenceView) -> String {
        licence.validUntilMillis.map(Output.time) ?? "长期 (long-term)"
    }

    static func window(_ from: UInt64, _ until: UInt64) -> String {
        "\(Output.time(from)) → " + (until == UInt64.max ? "长期 (long-term)" : Output.time(until))
    }

    static func print(_ licence: LicenceView) {
        var fields: [(String, String)] = [
            ("licence", licence.id),
            ("type", [licence.type.code, licence.type.nameZh, licence.type.nameEn].compactMap { $0 }.joined(separator: "  ")),
            ("issuer", [licence.issuer.id, licence.issuer.nameZh, licence.issuer.nameEn].compactMap { $0 }.joined(separator: "  ")),
            ("holder key", licence.holderKey),
            ("holder commitment", licence.holderCommitment),
            ("document digest", licence.documentDigest),
            ("valid", "\(Output.time(licence.validFromMillis)) → \(until(licence))"),
            ("status", licence.status),
            ("issued at height", String(licence.issuedAtHeight)),
        ]
        if let old = licence.supersedes { fields.append(("supersedes", old)) }
        if let new = licence.supersededBy { fields.append(("superseded by", new)) }
        Output.fields(fields)
    }
}
