import LedgerCore
import LedgerCrypto
import LedgerState
import TOMLKit

extension SpecReader {
    func spec(_ root: TOMLTable) throws(GenesisError) -> GenesisSpec {
        try checkKeys(root, .root, allowed: Self.rootKeys)

        let chainText = try string(root, .root, "chain_id")
        guard let chainID = ChainID(chainText) else {
            throw fail(.invalidChainID(chainText), .root, key: "chain_id", value: true)
        }
        let suiteText = try string(root, .root, "suite")
        guard let suite = SuiteID(rawValue: suiteText) else {
            throw fail(.unknownSuite(suiteText), .root, key: "suite", value: true)
        }
        let timeValue = try required(root, .root, "genesis_time")
        guard let dateTime = timeValue.dateTime else {
            throw wrongType(timeValue, .root, "genesis_time", expected: "an offset date-time such as 2026-01-01T00:00:00Z")
        }
        let time: UInt64
        do throws(GenesisError) { time = try GenesisTime.millis(dateTime) } catch {
            throw fail(error, .root, key: "genesis_time", value: true)
        }
        let interval = try checkpointInterval(root)

        let types = try licenceTypes(root)
        let bureaus = try bureaus(root, suite: suite, catalogue: Set(types.map(\.code)))
        return GenesisSpec(
            file: file, chainID: chainID, suite: suite, genesisTimeMillis: time, checkpointInterval: interval,
            bureaus: bureaus.sorted { $0.id < $1.id }, licenceTypes: types.sorted { $0.code < $1.code })
    }

    private func checkpointInterval(_ root: TOMLTable) throws(GenesisError) -> UInt64 {
        guard let value = root["checkpoint_interval"] else { return GenesisDocument.defaultCheckpointInterval }
        guard let number = value.int else { throw wrongType(value, .root, "checkpoint_interval", expected: "an integer") }
        let range = GenesisDocument.checkpointIntervalRange
        guard let interval = UInt64(exactly: number), range.contains(interval) else {
            throw fail(
                .invalidValue(key: "checkpoint_interval", reason: "\(number) not in \(range.lowerBound)...\(range.upperBound)"),
                .root, key: "checkpoint_interval", value: true)
        }
        return interval
    }

    // MARK: Licence types

    private func licenceTypes(_ root: TOMLTable) throws(GenesisError) -> [LicenceTypeInfo] {
        let tables = try tables(root, "licence_type")
        var out: [LicenceTypeInfo] = []
        var seen = Set<LicenceTypeCode>()
        for (index, table) in tables.enumerated() {
            let place = Place.item(array: "licence_type", index: index)
            guard index < GenesisDocument.maxLicenceTypes else {
                throw fail(.tooMany(field: "licence types", count: tables.count, limit: GenesisDocument.maxLicenceTypes), place)
            }
            try checkKeys(table, place, allowed: Self.licenceTypeKeys)
            let codeText = try string(table, place, "code")
            let code: LicenceTypeCode
            do throws(GenesisError) { code = try LicenceTypeCode(codeText) } catch {
                throw fail(error, place, key: "code", value: true)
            }
            guard seen.insert(code).inserted else { throw fail(.duplicateLicenceType(code), place, key: "code", value: true) }
            let nameZh = try name(table, place, "name_zh")
            let nameEn = try name(table, place, "name_en")
            let kindText = try string(table, place, "holder_kind")
            guard let kind = HolderKind(rawValue: kindText) else {
                throw fail(.unknownHolderKind(kindText), place, key: "holder_kind", value: true)
            }
            do throws(GenesisError) {
                out.append(try LicenceTypeInfo(code: code, nameZh: nameZh, nameEn: nameEn, holderKind: kind))
            } catch {
                throw fail(error, place)
            }
        }
        return out
    }

    /// A name checked here, where its line is known, rather than later by the value type.
    private func name(_ table: TOMLTable, _ place: Place, _ key: String) throws(GenesisError) -> String {
        let text = try string(table, place, key)
        do throws(GenesisError) { try GenesisDocument.checkName(text, field: key) } catch {
            throw fail(error, place, key: key, value: true)
        }
        return text
    }

    // MARK: Bureaus

    private func bureaus(_ root: TOMLTable, suite: SuiteID, catalogue: Set<LicenceTypeCode>) throws(GenesisError) -> [BureauSpec] {
        let tables = try tables(root, "bureau")
        var out: [BureauSpec] = []
        var seenIDs = Set<BureauID>()
        var keyOwners: [PublicKeyBytes: String] = [:]
        for (index, table) in tables.enumerated() {
            let place = Place.item(array: "bureau", index: index)
            guard index < GenesisDocument.maxBureaus else {
                throw fail(.tooMany(field: "bureaus", count: tables.count, limit: GenesisDocument.maxBureaus), place)
            }
            try checkKeys(table, place, allowed: Self.bureauKeys)
            let idText = try string(table, place, "id")
            let id: BureauID
            do throws(GenesisError) { id = try BureauID(idText) } catch { throw fail(error, place, key: "id", value: true) }
            guard seenIDs.insert(id).inserted else { throw fail(.duplicateBureau(id), place, key: "id", value: true) }
            let nameZh = try name(table, place, "name_zh")
            let nameEn = try name(table, place, "name_en")
            var keys: [PublicKeyBytes?] = []
            for key in ["node_key", "admin_key"] {
                let found = try publicKey(table, place, key, bureau: id, suite: suite)
                if let found {
                    let owner = "\(id).\(key)"
                    if let first = keyOwners[found] {
                        throw fail(.duplicateKey(first: first, second: owner), place, key: key, value: true)
                    }
                    keyOwners[found] = owner
                }
                keys.append(found)
            }
            let rights = try rights(table, place, bureau: id, catalogue: catalogue)
            out.append(BureauSpec(
                id: id, nameZh: nameZh, nameEn: nameEn, nodeKey: keys[0], adminKey: keys[1], rights: rights,
                nodeKeyLocation: location(place, key: "node_key", value: true),
                adminKeyLocation: location(place, key: "admin_key", value: true)))
        }
        guard tables.count >= GenesisDocument.minBureaus else {
            let place: Place = tables.isEmpty ? .root : .item(array: "bureau", index: tables.count - 1)
            throw fail(.tooFewBureaus(count: tables.count, minimum: GenesisDocument.minBureaus), place)
        }
        return out
    }

    /// Empty means "not yet generated"; anything else must be a compressed point
    /// on the chain's curve, so a key for the wrong suite is caught here.
    private func publicKey(
        _ table: TOMLTable, _ place: Place, _ key: String, bureau: BureauID, suite: SuiteID
    ) throws(GenesisError) -> PublicKeyBytes? {
        let text = try string(table, place, key)
        if text.isEmpty { return nil }
        let field = "bureau \(bureau) \(key)"
        func refuse(_ reason: String) -> GenesisError {
            fail(.invalidPublicKey(field: field, reason: reason), place, key: key, value: true)
        }
        guard let bytes = Hex.decode(text) else { throw refuse("not hexadecimal") }
        guard let key = PublicKeyBytes(bytes) else {
            throw refuse("\(bytes.count) bytes; expected a 33-byte compressed SEC1 key starting 02 or 03")
        }
        do {
            _ = try CryptoSuites.suite(suite).publicKey(sec1: key.bytes)
        } catch {
            throw refuse("not a point on the \(suite) suite's curve")
        }
        return key
    }

    private func rights(
        _ table: TOMLTable, _ place: Place, bureau: BureauID, catalogue: Set<LicenceTypeCode>
    ) throws(GenesisError) -> BureauRights {
        let value = try required(table, place, "licence_types")
        guard let array = value.array else {
            throw wrongType(value, place, "licence_types", expected: "an array of licence type codes")
        }
        var codes: [LicenceTypeCode] = []
        var seen = Set<LicenceTypeCode>()
        for (index, element) in array.enumerated() {
            let at = elementLocation(place, key: "licence_types", index: index)
            guard let text = element.string else {
                throw GenesisError.wrongType(
                    key: "licence_types", expected: "an array of strings", found: Self.describe(element.type)
                ).located(at: at)
            }
            let code: LicenceTypeCode
            do throws(GenesisError) { code = try LicenceTypeCode(text) } catch { throw error.located(at: at) }
            guard catalogue.contains(code) else {
                throw GenesisError.unknownLicenceType(bureau: bureau, code: code).located(at: at)
            }
            guard seen.insert(code).inserted else {
                throw GenesisError.invalidValue(key: "licence_types", reason: "\(code) is listed twice").located(at: at)
            }
            codes.append(code)
        }
        let offices = try bool(table, place, "registers_offices")
        let taxpayers = try bool(table, place, "registers_taxpayers")
        let auditors = try bool(table, place, "registers_auditors")
        do throws(GenesisError) {
            return try BureauRights(
                licenceTypes: codes.sorted(), registersOffices: offices, registersTaxpayers: taxpayers,
                registersAuditors: auditors)
        } catch {
            throw fail(error, place, key: "licence_types")
        }
    }
}
