import LedgerCore
import LedgerState
import Testing

@Suite("Reason codes")
struct ReasonCodeTests {
    @Test("Each scenario produces its reason code, and a refusal changes nothing but its receipt", arguments: ReasonScenario.all)
    func scenario(_ scenario: ReasonScenario) throws {
        let harness = try LedgerHarness(seed: UInt64(scenario.expected.rawValue.utf8.count))
        let receipt = try scenario.run(harness)
        #expect(receipt.code == scenario.expected, "\(receipt.message)")
        #expect(!receipt.message.isEmpty || receipt.code == .ok)
        guard receipt.code != .ok, let execution = harness.lastExecution else { return }
        // The judged transaction ran in a block of its own: a refusal may
        // write its receipt (state key 0x0A…) and nothing else to the state
        // or the indexes.
        #expect(execution.receipts.count == 1)
        // A bad signature or a replay writes no state at all: the id stays
        // free (bad signature) or keeps its first receipt (replay).
        let writesNothing = receipt.code == .badSignature || receipt.code == .replay
        for operation in execution.batch.operations {
            if writesNothing, case let .put(_, _, column) = operation {
                #expect(column != LedgerColumns.state && column != LedgerColumns.tree, "\(receipt.code) wrote to \(column)")
            }
            switch operation {
            case let .put(key, _, column), let .delete(key, column):
                if column == LedgerColumns.state {
                    #expect(key.first == 0x0A, "a refused transaction wrote state key \(key)")
                }
                #expect(column != LedgerColumns.index, "a refused transaction wrote an index")
            }
        }
    }

    @Test("Every reason code has a scenario that produces it")
    func everyCodeIsCovered() {
        let covered = Set(ReasonScenario.all.map(\.expected))
        let missing = ReasonCode.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "no scenario for \(missing.map(\.rawValue))")
    }

    @Test("Reason codes are distinct, upper-case and within their length cap")
    func codesAreStable() {
        let raw = ReasonCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in raw {
            #expect(code.utf8.count <= ReasonCode.maxLength)
            #expect(code.allSatisfy { $0.isUppercase || $0 == "_" })
        }
    }
}
