import LedgerCore

/// E-licences (电子证照): issued only by a bureau whose rights name the type;
/// their status changed only by the issuing bureau.
///
/// ```
/// active ──suspend──▶ suspended ──reinstate──▶ active
/// active | suspended ──revoke──▶ revoked            (final)
/// active | suspended ──supersede──▶ superseded      (final; links to the replacement)
/// ```
enum LicenceRules {
    static func issue(_ issue: LicenceIssue, in context: inout TransactionContext) throws(RuleFailure) {
        let bureau = try context.senderBureau()
        try checkIssuable(issue, by: bureau, in: context)
        let id = LicenceID(issuedBy: context.transaction)
        store(
            LicenceRecord(
                id: id, issuer: bureau.id, issued: issue, status: .active, supersedes: nil, supersededBy: nil,
                issuedAtHeight: context.height, updatedAtHeight: context.height),
            in: &context)
    }

    static func suspend(_ change: LicenceStatusChange, in context: inout TransactionContext) throws(RuleFailure) {
        var licence = try ownLicence(change.licence, in: context)
        switch licence.status {
        case .active: licence.status = .suspended
        case .suspended: throw .refuse(.licenceSuspended, "licence \(licence.id) is already suspended")
        case .revoked, .superseded: throw final(licence)
        }
        update(licence, in: &context)
    }

    /// Reinstating puts a licence back into use, so, unlike suspending or
    /// revoking (which a bureau may always do to clean up), it needs the
    /// bureau's current right to issue the type.
    static func reinstate(_ change: LicenceStatusChange, in context: inout TransactionContext) throws(RuleFailure) {
        var licence = try ownLicence(change.licence, in: context)
        let bureau = try context.senderBureau()
        guard bureau.rights.mayIssue(licence.licenceType) else {
            throw .refuse(
                .notAuthorisedForLicenceType, "bureau \(bureau.id) no longer may issue \(licence.licenceType), so it may not reinstate")
        }
        switch licence.status {
        case .suspended: licence.status = .active
        case .active: throw .refuse(.licenceNotSuspended, "licence \(licence.id) is active, not suspended")
        case .revoked, .superseded: throw final(licence)
        }
        update(licence, in: &context)
    }

    static func revoke(_ change: LicenceStatusChange, in context: inout TransactionContext) throws(RuleFailure) {
        var licence = try ownLicence(change.licence, in: context)
        switch licence.status {
        case .active, .suspended: licence.status = .revoked
        case .revoked, .superseded: throw final(licence)
        }
        update(licence, in: &context)
    }

    static func supersede(_ supersession: LicenceSupersession, in context: inout TransactionContext) throws(RuleFailure) {
        var old = try ownLicence(supersession.old, in: context)
        switch old.status {
        case .active, .suspended: break
        case .revoked, .superseded: throw final(old)
        }
        let replacement = supersession.replacement
        guard replacement.licenceType == old.licenceType else {
            throw .refuse(
                .invalidField,
                "a replacement must be of the same type (\(old.licenceType)), not \(replacement.licenceType)")
        }
        let bureau = try context.senderBureau()
        try checkIssuable(replacement, by: bureau, in: context)
        let newID = LicenceID(issuedBy: context.transaction)
        old.status = .superseded
        old.supersededBy = newID
        update(old, in: &context)
        store(
            LicenceRecord(
                id: newID, issuer: bureau.id, issued: replacement, status: .active, supersedes: old.id,
                supersededBy: nil, issuedAtHeight: context.height, updatedAtHeight: context.height),
            in: &context)
    }

    /// The refusal for touching a licence that can no longer change.
    static func final(_ licence: LicenceRecord) -> RuleFailure {
        switch licence.status {
        case .superseded:
            let by = licence.supersededBy.map { " by \($0)" } ?? ""
            return .refuse(.licenceSuperseded, "licence \(licence.id) was superseded\(by)")
        default:
            return .refuse(.licenceRevoked, "licence \(licence.id) is revoked")
        }
    }

    private static func checkIssuable(_ issue: LicenceIssue, by bureau: Bureau, in context: TransactionContext) throws(RuleFailure) {
        guard let type = try context.licenceType(issue.licenceType) else {
            throw .refuse(.unknownLicenceType, "licence type \(issue.licenceType) is not in the catalogue")
        }
        guard bureau.rights.mayIssue(type.code) else {
            throw .refuse(
                .notAuthorisedForLicenceType,
                "bureau \(bureau.id) (\(bureau.nameZh)) may not issue \(type.code) (\(type.nameZh))")
        }
        guard issue.validFrom < issue.validUntil else {
            throw .refuse(.invalidValidityWindow, "validFrom \(issue.validFrom) is not before validUntil \(issue.validUntil)")
        }
    }

    private static func ownLicence(_ id: LicenceID, in context: TransactionContext) throws(RuleFailure) -> LicenceRecord {
        let bureau = try context.senderBureau()
        guard let licence = try context.record(LicenceRecord.self, at: StateKey.licence(id)) else {
            throw .refuse(.licenceNotFound, "no licence \(id)")
        }
        guard licence.issuer == bureau.id else {
            throw .refuse(.notIssuer, "licence \(id) was issued by bureau \(licence.issuer), not \(bureau.id)")
        }
        return licence
    }

    private static func store(_ licence: LicenceRecord, in context: inout TransactionContext) {
        context.overlay.put(licence, at: StateKey.licence(licence.id))
        context.overlay.putIndex(IndexKey.holderLicence(licence.holderKey, licence.licenceType, licence.id))
    }

    private static func update(_ licence: LicenceRecord, in context: inout TransactionContext) {
        var changed = licence
        changed.updatedAtHeight = context.height
        context.overlay.put(changed, at: StateKey.licence(changed.id))
    }
}
