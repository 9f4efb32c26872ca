import LedgerCore
import LedgerState

/// Who may learn what about a consent grant through the counter check. A
/// grant's terms (holder, licences, office, purpose, expiry) are the holder's
/// business, and a grant's id is no secret (each use's receipt names it), so
/// holding the id is not enough: the request must be signed.
enum ConsentAccess {
    /// The check's verdict on a grant: its holder, or the office the request
    /// names, signing as itself (so an office learns only how the grant stands
    /// for that office).
    static func mayCheck(
        _ signer: PublicKeyBytes, grant: ConsentGrant?, asking office: OfficeID?, in queries: LedgerQueries
    ) throws(LedgerError) -> Bool {
        guard let grant else { return true }  // absent: nothing to reveal
        if signer == grant.holder { return true }
        guard let office else { return false }
        return try queries.owner(of: signer) == .registered(.office(office))
    }

    /// The grant itself, proven: its holder, or the office it was granted to.
    static func mayProve(_ signer: PublicKeyBytes, grant: ConsentGrant?, in queries: LedgerQueries) throws(LedgerError) -> Bool {
        guard let grant else { return true }
        if signer == grant.holder { return true }
        return try queries.owner(of: signer) == .registered(.office(grant.office))
    }
}
