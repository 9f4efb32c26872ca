import LedgerCore

/// Offices (窗口), taxpayers and auditors: registered and disabled by the
/// bureau whose genesis rights allow it; keys rotated by their owner.
enum RegistryRules {
    static func register(_ registration: Registration, in context: inout TransactionContext) throws(RuleFailure) {
        let bureau = try context.senderBureau()
        let subject = registration.subject
        guard mayRegister(bureau.rights, subject.role) else {
            throw .refuse(.notAuthorisedToRegister, "bureau \(bureau.id) may not register a \(subject.role.rawValue)")
        }
        if try context.entity(subject) != nil {
            throw .refuse(duplicateCode(subject.role), "\(subject) is already registered")
        }
        try context.requireUnusedKey(registration.key)
        let record = EntityRecord(
            subject: subject, name: registration.name, key: registration.key, registeredBy: bureau.id, active: true,
            registeredAtHeight: context.height)
        context.overlay.put(record, at: StateKey.entity(subject))
        context.overlay.put(KeyOwnerRecord(.registered(subject)), at: StateKey.keyOwner(registration.key))
    }

    static func disable(_ disablement: Disablement, in context: inout TransactionContext) throws(RuleFailure) {
        let bureau = try context.senderBureau()
        let subject = disablement.subject
        guard var record = try context.entity(subject) else {
            throw .refuse(notFoundCode(subject.role), "\(subject) is not registered")
        }
        guard record.registeredBy == bureau.id else {
            throw .refuse(.notRegistrar, "\(subject) was registered by bureau \(record.registeredBy), not \(bureau.id)")
        }
        guard record.active else { throw .refuse(.alreadyDisabled, "\(subject) is already disabled") }
        record.active = false
        context.overlay.put(record, at: StateKey.entity(subject))
    }

    /// The current key, or for a registered entity the admin of the bureau that
    /// registered it (a lost key must not lock an office out for good), or for a
    /// bureau's node key that bureau's admin. The old key stays reserved, so a
    /// retired key can never come back in another role.
    static func rotate(_ rotation: KeyRotation, in context: inout TransactionContext) throws(RuleFailure) {
        try context.requireUnusedKey(rotation.newKey)
        switch rotation.subject {
        case let .bureauAdmin(id), let .bureauNode(id):
            guard var bureau = try context.bureau(id) else { throw .refuse(.bureauNotFound, "no bureau \(id)") }
            guard context.sender == bureau.adminKey else {
                throw .refuse(.notKeyOwner, "only the admin key of bureau \(id) may rotate its keys")
            }
            let isAdmin: Bool
            if case .bureauAdmin = rotation.subject { isAdmin = true } else { isAdmin = false }
            do {
                bureau = try Bureau(
                    id: bureau.id, nameZh: bureau.nameZh, nameEn: bureau.nameEn,
                    nodeKey: isAdmin ? bureau.nodeKey : rotation.newKey,
                    adminKey: isAdmin ? rotation.newKey : bureau.adminKey, rights: bureau.rights)
            } catch {
                throw .refuse(.keyInUse, "\(error)")
            }
            context.overlay.put(BureauRecord(bureau), at: StateKey.bureau(id))
            context.overlay.put(KeyOwnerRecord(rotation.subject), at: StateKey.keyOwner(rotation.newKey))
        case let .registered(subject):
            guard var record = try context.entity(subject) else {
                throw .refuse(notFoundCode(subject.role), "\(subject) is not registered")
            }
            guard record.active else { throw .refuse(disabledCode(subject.role), "\(subject) is disabled") }
            let byOwner = context.sender == record.key
            // A store fault must stop the block, never turn into a refusal:
            // only the sender's lack of a bureau role may be swallowed here.
            var byRegistrar = false
            if !byOwner, case let .bureauAdmin(id)? = try context.owner(of: context.sender),
               let bureau = try context.bureau(id), bureau.adminKey == context.sender
            {
                byRegistrar = bureau.id == record.registeredBy && mayRegister(bureau.rights, subject.role)
            }
            guard byOwner || byRegistrar else {
                throw .refuse(
                    .notKeyOwner, "only the key of \(subject) or the admin of bureau \(record.registeredBy) may rotate it")
            }
            record.key = rotation.newKey
            context.overlay.put(record, at: StateKey.entity(subject))
            context.overlay.put(KeyOwnerRecord(rotation.subject), at: StateKey.keyOwner(rotation.newKey))
        }
    }

    /// The sender as an active registered taxpayer.
    static func activeTaxpayer(
        in context: TransactionContext, notFound: ReasonCode = .taxpayerNotFound
    ) throws(RuleFailure) -> TaxpayerID {
        guard let entity = try context.senderEntity(), case let .taxpayer(id) = entity.subject else {
            throw .refuse(notFound, "the sender \(context.sender.hex) is not a registered taxpayer")
        }
        guard entity.active else { throw .refuse(.taxpayerDisabled, "taxpayer \(id) is disabled") }
        return id
    }

    static func mayRegister(_ rights: BureauRights, _ role: RegisteredRole) -> Bool {
        switch role {
        case .office: return rights.registersOffices
        case .taxpayer: return rights.registersTaxpayers
        case .auditor: return rights.registersAuditors
        }
    }

    static func duplicateCode(_ role: RegisteredRole) -> ReasonCode {
        switch role {
        case .office: return .officeDuplicate
        case .taxpayer: return .taxpayerDuplicate
        case .auditor: return .auditorDuplicate
        }
    }

    static func notFoundCode(_ role: RegisteredRole) -> ReasonCode {
        switch role {
        case .office: return .officeNotFound
        case .taxpayer: return .taxpayerNotFound
        case .auditor: return .auditorNotFound
        }
    }

    static func disabledCode(_ role: RegisteredRole) -> ReasonCode {
        switch role {
        case .office: return .officeDisabled
        case .taxpayer: return .taxpayerDisabled
        case .auditor: return .alreadyDisabled
        }
    }
}
