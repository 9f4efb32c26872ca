import LedgerCore

/// Holder consent (扫码授权): granted by the holder's signature, revoked by the
/// holder, used by the one office it names, within its time and use limits.
enum ConsentRules {
    static func grant(_ signed: SignedConsentGrant, in context: inout TransactionContext) throws(RuleFailure) {
        let grant = signed.grant
        if context.checkEmbeddedSignatures,
           !context.verify(signature: signed.signature, message: grant.signingMessage, by: grant.holder)
        {
            throw .refuse(.consentBadSignature, "the grant is not signed by its holder \(grant.holder.hex)")
        }
        guard grant.chainID == context.chain.chainID else {
            throw .refuse(.wrongChain, "the grant is for chain \(grant.chainID), this is \(context.chain.chainID)")
        }
        let id = grant.id(using: context.chain.suite)
        if try context.record(ConsentRecord.self, at: StateKey.consent(id)) != nil {
            throw .refuse(.consentDuplicate, "consent \(id) was already granted")
        }
        guard grant.notAfter > context.timeMillis else {
            throw .refuse(.consentExpired, "the grant ended at \(grant.notAfter), block time is \(context.timeMillis)")
        }
        let office = try requireOffice(grant.office, in: context)
        guard office.active else { throw .refuse(.officeDisabled, "office \(grant.office) is disabled") }
        for licenceID in grant.licences {
            guard let licence = try context.record(LicenceRecord.self, at: StateKey.licence(licenceID)) else {
                throw .refuse(.licenceNotFound, "no licence \(licenceID)")
            }
            guard licence.holderKey == grant.holder else {
                throw .refuse(.notLicenceHolder, "licence \(licenceID) is not held by \(grant.holder.hex)")
            }
            if licence.status == .revoked || licence.status == .superseded { throw LicenceRules.final(licence) }
        }
        context.overlay.put(
            ConsentRecord(id: id, grant: grant, uses: 0, revoked: false, grantedAtHeight: context.height),
            at: StateKey.consent(id))
        context.overlay.putIndex(IndexKey.holderConsent(grant.holder, context.height, id))
    }

    static func revoke(_ action: ConsentAction, in context: inout TransactionContext) throws(RuleFailure) {
        guard action.licence == nil else {
            throw .refuse(.invalidField, "a revocation names the consent only, not a licence")
        }
        var consent = try requireConsent(action.consent, in: context)
        guard context.sender == consent.grant.holder else {
            throw .refuse(.notConsentHolder, "only the holder \(consent.grant.holder.hex) may revoke consent \(consent.id)")
        }
        guard !consent.revoked else { throw .refuse(.consentRevoked, "consent \(consent.id) is already revoked") }
        consent.revoked = true
        context.overlay.put(consent, at: StateKey.consent(consent.id))
    }

    static func use(_ action: ConsentAction, in context: inout TransactionContext) throws(RuleFailure) {
        guard let licenceID = action.licence else {
            throw .refuse(.invalidField, "a use must name the licence it uses")
        }
        var consent = try requireConsent(action.consent, in: context)
        guard let office = try context.senderEntity(), case let .office(officeID) = office.subject else {
            throw .refuse(.consentWrongOffice, "the sender \(context.sender.hex) is not a registered office")
        }
        guard office.active else { throw .refuse(.officeDisabled, "office \(officeID) is disabled") }
        try checkUsable(consent, by: officeID, licence: licenceID, at: context.timeMillis)
        guard let licence = try context.record(LicenceRecord.self, at: StateKey.licence(licenceID)) else {
            throw .refuse(.licenceNotFound, "no licence \(licenceID)")
        }
        if let refusal = licenceRefusal(licence, at: context.timeMillis) { throw .refused(refusal) }
        // A licence from a bureau since removed, or stripped of the right to
        // issue its type, is not relied on: the counter check says the same.
        guard let issuer = try context.bureau(licence.issuer), issuer.rights.mayIssue(licence.licenceType) else {
            throw .refuse(
                .notAuthorisedForLicenceType,
                "the issuer \(licence.issuer) is not (or no longer) a bureau authorised for \(licence.licenceType)")
        }

        let use = ConsentUseRecord(
            consent: consent.id, licence: licenceID, office: officeID, height: context.height,
            timeMillis: context.timeMillis, transaction: context.transaction)
        context.overlay.put(use, at: StateKey.consentUse(consent.id, consent.uses))
        consent.uses += 1
        context.overlay.put(consent, at: StateKey.consent(consent.id))
    }

    /// The consent checks of a use, in the order a counter clerk would want
    /// them explained; shared with the verification query.
    static func checkUsable(
        _ consent: ConsentRecord, by office: OfficeID, licence: LicenceID, at timeMillis: UInt64
    ) throws(RuleFailure) {
        guard consent.grant.office == office else {
            throw .refuse(.consentWrongOffice, "consent \(consent.id) is for office \(consent.grant.office), not \(office)")
        }
        guard !consent.revoked else { throw .refuse(.consentRevoked, "consent \(consent.id) was revoked by its holder") }
        guard timeMillis <= consent.grant.notAfter else {
            throw .refuse(.consentExpired, "consent \(consent.id) ended at \(consent.grant.notAfter)")
        }
        guard consent.uses < consent.grant.maxUses else {
            throw .refuse(.consentUsedUp, "consent \(consent.id) allowed \(consent.grant.maxUses) uses, all taken")
        }
        guard consent.grant.licences.contains(licence) else {
            throw .refuse(.licenceNotInConsent, "consent \(consent.id) does not cover licence \(licence)")
        }
    }

    /// Why a licence cannot be relied on at `timeMillis`, or nil when it can.
    static func licenceRefusal(_ licence: LicenceRecord, at timeMillis: UInt64) -> Refusal? {
        if let refusal = statusRefusal(licence) { return refusal }
        return windowRefusal(licence, at: timeMillis)
    }

    /// Why a licence is not inside its validity window `[validFrom, validUntil)` at `timeMillis`.
    static func windowRefusal(_ licence: LicenceRecord, at timeMillis: UInt64) -> Refusal? {
        if timeMillis < licence.issued.validFrom {
            return Refusal(.licenceNotYetValid, "licence \(licence.id) is valid from \(licence.issued.validFrom), checked at \(timeMillis)")
        }
        if timeMillis >= licence.issued.validUntil {
            return Refusal(.licenceExpired, "licence \(licence.id) expired at \(licence.issued.validUntil), checked at \(timeMillis)")
        }
        return nil
    }

    /// Why a licence's status alone rules it out, or nil when it is active.
    static func statusRefusal(_ licence: LicenceRecord) -> Refusal? {
        switch licence.status {
        case .active: return nil
        case .suspended: return Refusal(.licenceSuspended, "licence \(licence.id) is suspended")
        case .revoked, .superseded:
            guard case let .refused(refusal) = LicenceRules.final(licence) else { return nil }
            return refusal
        }
    }

    private static func requireConsent(_ id: ConsentID, in context: TransactionContext) throws(RuleFailure) -> ConsentRecord {
        guard let consent = try context.record(ConsentRecord.self, at: StateKey.consent(id)) else {
            throw .refuse(.consentNotFound, "no consent \(id)")
        }
        return consent
    }

    private static func requireOffice(_ id: OfficeID, in context: TransactionContext) throws(RuleFailure) -> EntityRecord {
        guard let office = try context.entity(.office(id)) else { throw .refuse(.officeNotFound, "no office \(id)") }
        return office
    }
}
