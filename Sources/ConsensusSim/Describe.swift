import Consensus
import LedgerCore

/// One-line descriptions for traces.
enum Describe {
    static func event(_ event: Event) -> String {
        switch event {
        case .start: "start"
        case .request: "request"
        case let .message(bytes, _):
            if let message = try? Canonical.decode(ConsensusMessage.self, from: bytes) { Self.message(message) } else { "garbage(\(bytes.count)B)" }
        case let .received(message, _): Self.message(message)
        case let .timerFired(timer): "timer \(timer)"
        case let .executed(sequence, root): "executed s\(sequence) root \(root.hex.prefix(8))"
        case let .stateTransferred(sequence, _): "state transferred s\(sequence)"
        case let .stateTransferFailed(sequence): "state transfer failed s\(sequence)"
        }
    }

    static func message(_ message: ConsensusMessage) -> String {
        switch message {
        case let .prePrepare(vote, batch): "pre-prepare \(vote.content.replica) v\(vote.content.view) s\(vote.content.sequence) \(vote.content.digest.hex.prefix(8)) (\(batch.requests.count) req)"
        case let .prepare(vote): "prepare \(vote.content.replica) v\(vote.content.view) s\(vote.content.sequence) \(vote.content.digest.hex.prefix(8))"
        case let .commit(vote): "commit \(vote.content.replica) v\(vote.content.view) s\(vote.content.sequence) \(vote.content.digest.hex.prefix(8))"
        case let .checkpoint(vote): "checkpoint \(vote.content.replica) s\(vote.content.sequence) \(vote.content.digest.hex.prefix(8))"
        case let .viewChange(change, _): "view-change \(change.signer) to v\(change.content.newView) (stable s\(change.content.checkpoint.sequence), \(change.content.prepared.count) prepared)"
        case let .newView(newView, _): "new-view \(newView.signer) v\(newView.content.view) (\(newView.content.prePrepares.count) pre-prepares)"
        case let .status(status): "status \(status.signer) v\(status.content.view)\(status.content.changing ? "*" : "") c\(status.content.committedThrough) st\(status.content.stableSequence)"
        case let .committed(certificate, _): "certificate s\(certificate.sequence) v\(certificate.view)"
        case let .stableCheckpoint(certificate): "stable-checkpoint s\(certificate.sequence)"
        case .request: "forwarded request"
        }
    }

    static func action(_ action: Action) -> String {
        switch action {
        case let .send(message, to): "send \(to) \(Self.message(message))"
        case let .broadcast(message): "bcast \(Self.message(message))"
        case let .persist(record): "persist \(Self.record(record))"
        case let .execute(batch): "execute s\(batch.sequence)"
        case let .reportCommitted(batch): "committed s\(batch.sequence)"
        case let .setTimer(timer, after): "set \(timer) +\(after)"
        case let .cancelTimer(kind): "cancel \(kind)"
        case let .fetchState(certificate): "fetch state s\(certificate.sequence)"
        case let .offence(peer, reason): "offence \(peer) \(reason)"
        }
    }

    static func record(_ record: PersistentRecord) -> String {
        switch record {
        case let .view(view, changing): "view v\(view)\(changing ? "*" : "")"
        case let .accepted(vote, _): "accepted v\(vote.content.view) s\(vote.content.sequence)"
        case let .prepared(certificate, _): "prepared v\(certificate.view) s\(certificate.sequence)"
        case let .committed(certificate, _): "committed s\(certificate.sequence)"
        case let .checkpointVote(vote): "checkpoint-vote s\(vote.content.sequence)"
        case let .viewChange(change, _): "view-change v\(change.content.newView)"
        case let .newView(newView): "new-view v\(newView.content.view)"
        case let .stableCheckpoint(certificate): "stable s\(certificate.sequence)"
        }
    }
}
