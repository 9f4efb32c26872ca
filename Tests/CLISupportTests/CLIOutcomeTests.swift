import ArgumentParser
import CLISupport
import Testing

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "A sample tool.")
    @Option var count: Int
}

@Suite("CLI outcomes")
struct CLIOutcomeTests {
    @Test("Usage errors exit 2 with one prefixed line, not ArgumentParser's 64")
    func usageError() {
        do {
            _ = try Sample.parseAsRoot(["--count", "many"])
            Issue.record("parsing should have failed")
        } catch {
            let outcome = CLIOutcome.of(error, command: Sample.self, tool: "sample")
            #expect(outcome.status == 2)
            #expect(outcome.stdout == nil)
            let line = try! #require(outcome.stderr)
            #expect(line.hasPrefix("sample: error: "))
            #expect(!line.contains("\n"))
            #expect(line.contains("many"))
        }
    }

    @Test("Help goes to stdout with status 0")
    func help() {
        do {
            // As in runAsTool: help may surface from parsing or from running.
            var command = try Sample.parseAsRoot(["--help"])
            try command.run()
            Issue.record("--help should end with CleanExit")
        } catch {
            let outcome = CLIOutcome.of(error, command: Sample.self, tool: "sample")
            #expect(outcome.status == 0)
            #expect(outcome.stdout?.contains("A sample tool.") == true)
            #expect(outcome.stderr == nil)
        }
    }

    @Test("A CLIFailure keeps its status; a negative answer may print nothing on stderr")
    func failures() {
        let input = CLIOutcome.of(CLIFailure.input("bad\nthing"), command: Sample.self, tool: "sample")
        #expect(input == CLIOutcome(status: 2, stdout: nil, stderr: "sample: error: bad thing"))
        let negative = CLIOutcome.of(CLIFailure.negative(nil), command: Sample.self, tool: "sample")
        #expect(negative == CLIOutcome(status: 1, stdout: nil, stderr: nil))
        let code = CLIOutcome.of(ExitCode(1), command: Sample.self, tool: "sample")
        #expect(code.status == 1 && code.stderr == nil)
    }
}
