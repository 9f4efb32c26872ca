import Foundation
import FuzzTargets
import Testing

/// Every saved input under Tests/Fuzz/TARGET/ — the seeds, what the fuzzer kept,
/// and every crash it ever found (kept as a regression) — goes through its
/// target again. A crash here kills the test process, which fails the run.
@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        let folder = root.appendingPathComponent(target.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test("Every target has a corpus", arguments: FuzzTarget.allCases)
    func corpusExists(_ target: FuzzTarget) {
        #expect(!Self.inputs(target).isEmpty, "no inputs in Tests/Fuzz/\(target.rawValue); run tools/fuzz/run --seed")
    }

    @Test("The proven-answer seed passes every check, so fuzzing starts past them")
    func provenAnswerSeedIsAccepted() throws {
        let seed = Self.root.appendingPathComponent("proven-answer/honest-absent-licence")
        #expect(FuzzTarget.provenAnswerAccepts(Array(try Data(contentsOf: seed))))
        #expect(!FuzzTarget.provenAnswerAccepts(Array(#"{"height":1,"header":"","certificate":"","entries":[]}"#.utf8)))
    }

    @Test("Each saved input runs through its target", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        for file in Self.inputs(target) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }
}
