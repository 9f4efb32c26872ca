import LedgerCore

extension LedgerQueries {
    /// The 免证办 counter check: every fact the counter relies on, each
    /// judged separately so the clerk can tell the citizen exactly what failed.
    public func verify(_ request: VerificationRequest) throws(LedgerError) -> Verdict {
        let head = try head()
        let time = request.atMillis ?? head.timeMillis
        var checks: [Verdict.Check] = []
        func check(_ name: Verdict.CheckName, _ refusal: Refusal?, passed detail: String) {
            checks.append(
                Verdict.Check(name: name, passed: refusal == nil, code: refusal?.code, detail: refusal?.message ?? detail))
        }

        let licence = try resolve(request.subject)
        guard let licence else {
            check(.licenceFound, Refusal(.licenceNotFound, "no licence matches \(describe(request.subject))"), passed: "")
            return Verdict(licence: nil, atMillis: time, height: head.height, checks: checks)
        }
        check(.licenceFound, nil, passed: "licence \(licence.id) of type \(licence.licenceType)")

        let issuer = try bureau(licence.issuer)
        if let issuer, issuer.rights.mayIssue(licence.licenceType) {
            check(.issuerAuthorised, nil, passed: "issued by \(issuer.nameZh) (\(issuer.id)), authorised for \(licence.licenceType)")
        } else {
            check(
                .issuerAuthorised,
                Refusal(.notAuthorisedForLicenceType, "bureau \(licence.issuer) is not (or no longer) authorised for \(licence.licenceType)"),
                passed: "")
        }

        check(.status, ConsentRules.statusRefusal(licence), passed: "active")
        let until = licence.issued.validUntil == LicenceIssue.longTerm ? "long-term (长期)" : String(licence.issued.validUntil)
        check(.validityWindow, ConsentRules.windowRefusal(licence, at: time), passed: "valid from \(licence.issued.validFrom) until \(until)")

        if let presented = request.presentedDigest {
            let refusal = presented == licence.issued.documentDigest
                ? nil
                : Refusal(.invalidField, "the presented document's digest \(presented.hex) differs from the registered \(licence.issued.documentDigest.hex)")
            check(.documentDigest, refusal, passed: "matches \(presented.hex)")
        }

        if let consentID = request.consent {
            try checkConsent(consentID, office: request.office, licence: licence, at: time, into: &checks)
        }
        return Verdict(licence: licence, atMillis: time, height: head.height, checks: checks)
    }

    private func checkConsent(
        _ id: ConsentID, office: OfficeID?, licence: LicenceRecord, at time: UInt64, into checks: inout [Verdict.Check]
    ) throws(LedgerError) {
        guard let consent = try consent(id) else {
            checks.append(.init(name: .consentValid, passed: false, code: .consentNotFound, detail: "no consent \(id)"))
            return
        }
        guard let office else {
            checks.append(
                .init(name: .consentValid, passed: false, code: .consentWrongOffice, detail: "no office given to check the consent against"))
            return
        }
        guard consent.grant.holder == licence.holderKey else {
            checks.append(
                .init(name: .consentValid, passed: false, code: .notLicenceHolder, detail: "the consent was not signed by the licence's holder"))
            return
        }
        // Judge everything but the use count first, so "used up" is reported
        // on its own line rather than hiding behind a consent failure.
        var unlimited = consent
        unlimited.uses = 0
        do throws(RuleFailure) {
            try ConsentRules.checkUsable(unlimited, by: office, licence: licence.id, at: time)
            checks.append(
                .init(name: .consentValid, passed: true, code: nil,
                      detail: "granted to \(office) for “\(consent.grant.purpose)” until \(consent.grant.notAfter)"))
        } catch {
            switch error {
            case let .refused(refusal):
                checks.append(.init(name: .consentValid, passed: false, code: refusal.code, detail: refusal.message))
            case let .fault(fault):
                throw .fault(fault)
            }
        }
        let left = consent.usesLeft
        checks.append(
            .init(name: .usesLeft, passed: left > 0, code: left > 0 ? nil : .consentUsedUp,
                  detail: "\(left) of \(consent.grant.maxUses) uses left"))
    }

    private func resolve(_ subject: VerificationRequest.Subject) throws(LedgerError) -> LicenceRecord? {
        switch subject {
        case let .licence(id):
            return try licence(id)
        case let .holder(key, type):
            let all = try licences(holder: key, type: type, limit: Self.maxPageSize)
            let newest = all.sorted { $0.issuedAtHeight > $1.issuedAtHeight }
            return newest.first { $0.status == .active } ?? newest.first
        }
    }

    private func describe(_ subject: VerificationRequest.Subject) -> String {
        switch subject {
        case let .licence(id): return "id \(id)"
        case let .holder(key, type): return "holder \(key.hex) and type \(type)"
        }
    }
}
