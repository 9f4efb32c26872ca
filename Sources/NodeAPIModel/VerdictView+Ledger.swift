import LedgerState

extension VerdictView {
    public init(_ verdict: Verdict, licence: LicenceView?) {
        self.init(
            passed: verdict.passed, atMillis: verdict.atMillis, height: verdict.height.value, licence: licence,
            checks: verdict.checks.map {
                CheckView(name: $0.name.rawValue, passed: $0.passed, code: $0.code?.rawValue, detail: $0.detail)
            })
    }
}
