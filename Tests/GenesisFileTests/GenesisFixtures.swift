import LedgerCore
import LedgerCrypto
import LedgerState

enum GenesisFixtures {
    /// Genesis/devnet.toml as shipped, found from this file's path.
    static let devnetPath: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // GenesisFixtures.swift, GenesisFileTests, Tests
        return (parts + ["Genesis", "devnet.toml"]).joined(separator: "/")
    }()

    static func id(_ text: String) -> BureauID { try! BureauID(text) }
    static func code(_ text: String) -> LicenceTypeCode { try! LicenceTypeCode(text) }

    /// A real public key of `suite` from a small fixed scalar, so tests are repeatable.
    static func key(_ n: UInt8, suite: SuiteID = .standard) -> PublicKeyBytes {
        let scalar = [UInt8](repeating: 0, count: 31) + [n]
        return try! CryptoSuites.suite(suite).privateKey(rawScalar: scalar).publicKey.compressed
    }

    /// Distinct keys for each bureau id given.
    static func keys(for ids: [String], suite: SuiteID = .standard) -> [BureauID: (node: PublicKeyBytes, admin: PublicKeyBytes)] {
        var out: [BureauID: (node: PublicKeyBytes, admin: PublicKeyBytes)] = [:]
        for (index, name) in ids.enumerated() {
            let n = UInt8(2 * index + 1)
            out[id(name)] = (key(n, suite: suite), key(n + 1, suite: suite))
        }
        return out
    }

    /// A small valid file whose line numbers the broken-input table relies on:
    /// licence types start at lines 6 and 12, bureaus at 18, 29, 40 and 51.
    static let small = """
        chain_id = "civic-test"
        suite = "standard"
        genesis_time = 2026-01-01T00:00:00Z
        checkpoint_interval = 16

        [[licence_type]]
        code = "RESIDENT_ID_CARD"
        name_zh = "居民身份证"
        name_en = "Resident Identity Card"
        holder_kind = "person"

        [[licence_type]]
        code = "BUSINESS_LICENCE"
        name_zh = "营业执照"
        name_en = "Business Licence"
        holder_kind = "organisation"

        [[bureau]]
        id = "gsdmb"
        name_zh = "政务服务数据管理局"
        name_en = "Government Services and Data Management Bureau"
        node_key = ""
        admin_key = ""
        licence_types = []
        registers_offices = true
        registers_taxpayers = false
        registers_auditors = false

        [[bureau]]
        id = "psb"
        name_zh = "公安局"
        name_en = "Public Security Bureau"
        node_key = ""
        admin_key = ""
        licence_types = ["RESIDENT_ID_CARD"]
        registers_offices = false
        registers_taxpayers = false
        registers_auditors = false

        [[bureau]]
        id = "samr"
        name_zh = "市场监管局"
        name_en = "Market Supervision Administration"
        node_key = ""
        admin_key = ""
        licence_types = ["BUSINESS_LICENCE"]
        registers_offices = false
        registers_taxpayers = false
        registers_auditors = false

        [[bureau]]
        id = "tax"
        name_zh = "税务局"
        name_en = "Tax Bureau"
        node_key = ""
        admin_key = ""
        licence_types = []
        registers_offices = false
        registers_taxpayers = true
        registers_auditors = true

        """
}

extension String {
    /// Replaces the one occurrence of `target`; a test whose target is missing or
    /// repeated is itself broken, so that stops the run.
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        let parts = self.split(separator: target, omittingEmptySubsequences: false)
        precondition(parts.count == 2, "test fixture: \(target.debugDescription) occurs \(parts.count - 1) times")
        return parts.joined(separator: replacement)
    }
}
