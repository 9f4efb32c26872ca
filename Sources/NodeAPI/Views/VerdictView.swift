import LedgerState

/// The counter check's answer: every check that was asked for, each with its
/// outcome, and `passed` only when all of them passed.
struct VerdictView: Encodable, Sendable {
    struct CheckView: Encodable, Sendable {
        let name: String
        let passed: Bool
        /// The reason code a transaction would have got; omitted when the check passed.
        let code: String?
        let detail: String
    }

    let passed: Bool
    let atMillis: UInt64
    let height: UInt64
    let licence: LicenceView?
    let checks: [CheckView]

    init(_ verdict: Verdict, licence: LicenceView?) {
        passed = verdict.passed
        atMillis = verdict.atMillis
        height = verdict.height.value
        self.licence = licence
        checks = verdict.checks.map {
            CheckView(name: $0.name.rawValue, passed: $0.passed, code: $0.code?.rawValue, detail: $0.detail)
        }
    }
}
