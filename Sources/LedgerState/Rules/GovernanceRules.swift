import LedgerCore

/// Changes to the bureau set and to bureaus' rights. They need approvals from
/// 2f+1 of the n current bureaus (f = ⌊(n−1)/3⌋), the same quorum that lets
/// the bureaus' nodes commit a block, so no coalition that could not already
/// stall consensus can rewrite who runs it.
enum GovernanceRules {
    static func apply(_ approved: ApprovedGovernanceChange, in context: inout TransactionContext) throws(RuleFailure) {
        _ = try context.senderBureau()
        let change = approved.change
        guard change.chainID == context.chain.chainID else {
            throw .refuse(.wrongChain, "the change is for chain \(change.chainID), this is \(context.chain.chainID)")
        }
        let expected = try context.counter(at: StateKey.governanceSequence)
        guard change.sequence == expected else {
            throw .refuse(.governanceStale, "the change has sequence \(change.sequence); the next governance sequence is \(expected)")
        }
        let current = try bureauSet(in: context)
        let message = change.signingMessage
        for approval in approved.approvals {
            guard let bureau = try context.bureau(approval.bureau) else {
                throw .refuse(.governanceBadApproval, "approval from \(approval.bureau), which is not a current bureau")
            }
            guard context.verify(signature: approval.signature, message: message, by: bureau.adminKey) else {
                throw .refuse(.governanceBadApproval, "the approval of bureau \(approval.bureau) is not signed by its admin key")
            }
        }
        let needed = quorum(of: current.count)
        guard approved.approvals.count >= needed else {
            throw .refuse(
                .governanceQuorumNotMet,
                "\(approved.approvals.count) approvals; \(needed) of \(current.count) bureaus are needed")
        }

        var ids = current
        switch change.action {
        case let .addBureau(bureau):
            guard !ids.contains(bureau.id) else { throw .refuse(.bureauDuplicate, "bureau \(bureau.id) already exists") }
            // A removed id stays retired: a new bureau under it would inherit
            // the licences and registrations the old one made.
            if try context.counter(at: StateKey.retiredBureau(bureau.id)) != 0 {
                throw .refuse(.bureauDuplicate, "bureau id \(bureau.id) was used by a removed bureau and is retired")
            }
            guard ids.count < GenesisDocument.maxBureaus else {
                throw .refuse(.invalidField, "the chain allows at most \(GenesisDocument.maxBureaus) bureaus")
            }
            try context.requireUnusedKey(bureau.nodeKey)
            try context.requireUnusedKey(bureau.adminKey)
            try checkCatalogue(bureau.rights, in: context)
            ids.append(bureau.id)
            context.overlay.put(BureauRecord(bureau), at: StateKey.bureau(bureau.id))
            context.overlay.put(KeyOwnerRecord(.bureauNode(bureau.id)), at: StateKey.keyOwner(bureau.nodeKey))
            context.overlay.put(KeyOwnerRecord(.bureauAdmin(bureau.id)), at: StateKey.keyOwner(bureau.adminKey))
        case let .removeBureau(id):
            guard ids.contains(id) else { throw .refuse(.bureauNotFound, "no bureau \(id)") }
            guard ids.count - 1 >= GenesisDocument.minBureaus else {
                throw .refuse(
                    .governanceTooFewBureaus,
                    "removing \(id) would leave \(ids.count - 1) bureaus; PBFT needs at least \(GenesisDocument.minBureaus)")
            }
            ids.removeAll { $0 == id }
            // The keys stay reserved in the key-owner table: a removed bureau's
            // keys must never come back in another role.
            context.overlay.delete(StateKey.bureau(id))
            context.setCounter(1, at: StateKey.retiredBureau(id))
        case let .setRights(id, rights):
            guard var bureau = try context.bureau(id) else { throw .refuse(.bureauNotFound, "no bureau \(id)") }
            try checkCatalogue(rights, in: context)
            do {
                bureau = try Bureau(
                    id: bureau.id, nameZh: bureau.nameZh, nameEn: bureau.nameEn, nodeKey: bureau.nodeKey,
                    adminKey: bureau.adminKey, rights: rights)
            } catch {
                throw .refuse(.invalidField, "\(error)")
            }
            context.overlay.put(BureauRecord(bureau), at: StateKey.bureau(id))
        }
        context.overlay.put(BureauSetRecord(ids), at: StateKey.bureauSet)
        context.setCounter(expected + 1, at: StateKey.governanceSequence)
    }

    /// 2f+1 with f = ⌊(n−1)/3⌋, the faults n bureaus' nodes tolerate.
    static func quorum(of count: Int) -> Int {
        2 * ((count - 1) / 3) + 1
    }

    static func bureauSet(in context: TransactionContext) throws(RuleFailure) -> [BureauID] {
        guard let set = try context.record(BureauSetRecord.self, at: StateKey.bureauSet) else {
            throw .fault(.corrupt(key: StateKey.bureauSet, reason: "the bureau set is missing"))
        }
        return set.ids
    }

    private static func checkCatalogue(_ rights: BureauRights, in context: TransactionContext) throws(RuleFailure) {
        for code in rights.licenceTypes where try context.licenceType(code) == nil {
            throw .refuse(.unknownLicenceType, "licence type \(code) is not in the catalogue")
        }
    }
}
