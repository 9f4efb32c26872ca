import LedgerCore

/// The pre-prepares a NEW-VIEW must contain, computed from its VIEW-CHANGEs
/// alone, so the new primary and every backup derive the same list and a
/// primary that deviates is caught.
///
/// min-s is the latest stable checkpoint among the VIEW-CHANGEs; for each
/// sequence above it up to the highest prepared one, the batch prepared in the
/// highest view is re-proposed, and a gap gets the null batch.
struct NewViewPlan: Sendable {
    struct Entry: Sendable {
        let sequence: SequenceNumber
        let digest: Digest
        let isNull: Bool
    }

    let checkpoint: CheckpointCertificate
    let entries: [Entry]

    var maxSequence: SequenceNumber { entries.last?.sequence ?? checkpoint.sequence }

    /// `window` bounds the plan before any VIEW-CHANGE is validated: a valid
    /// one only names sequences within a window above its sender's stable
    /// checkpoint, which is at most min-s, so nothing valid lies beyond
    /// min-s + window, and a forged far sequence cannot make the plan huge.
    init(viewChanges: [Signed<ViewChange>], nullDigest: Digest, window: UInt64) {
        var checkpoint = viewChanges[0].content.checkpoint
        for change in viewChanges where change.content.checkpoint.sequence > checkpoint.sequence {
            checkpoint = change.content.checkpoint
        }
        var best: [SequenceNumber: PreparedCertificate] = [:]
        for change in viewChanges {
            for certificate in change.content.prepared
            where certificate.sequence > checkpoint.sequence && certificate.sequence - checkpoint.sequence <= window {
                if let current = best[certificate.sequence], current.view >= certificate.view { continue }
                best[certificate.sequence] = certificate
            }
        }
        let top = best.keys.max() ?? checkpoint.sequence
        var entries: [Entry] = []
        if top > checkpoint.sequence {
            for sequence in (checkpoint.sequence + 1)...top {
                if let certificate = best[sequence] {
                    entries.append(Entry(sequence: sequence, digest: certificate.digest, isNull: false))
                } else {
                    entries.append(Entry(sequence: sequence, digest: nullDigest, isNull: true))
                }
            }
        }
        self.checkpoint = checkpoint
        self.entries = entries
    }
}
