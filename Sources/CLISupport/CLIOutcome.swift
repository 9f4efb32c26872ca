import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// What a finished command prints and the status it exits with. Computed by a
/// pure function so the exit-code contract is unit-tested without spawning.
public struct CLIOutcome: Equatable {
    public var status: Int32
    public var stdout: String?
    public var stderr: String?

    public init(status: Int32, stdout: String?, stderr: String?) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Maps an error thrown by parsing or running `Command` to the documented
    /// outcome: `CLIFailure` as it says, help and version to stdout with 0, and
    /// every other error (ArgumentParser's usage errors exit 64 by default) to
    /// one line on stderr with status 2.
    public static func of<Command: ParsableCommand>(_ error: any Error, command: Command.Type, tool: String) -> CLIOutcome {
        if let failure = error as? CLIFailure {
            return CLIOutcome(status: failure.exitCode, stdout: nil, stderr: failure.message.map { errorLine(tool, $0) })
        }
        if let code = error as? ExitCode {
            return CLIOutcome(status: code.rawValue, stdout: nil, stderr: nil)
        }
        if Command.exitCode(for: error) == .success {
            return CLIOutcome(status: ExitStatus.success, stdout: Command.fullMessage(for: error), stderr: nil)
        }
        let message = Command.message(for: error) + " (see '\(tool) --help')"
        return CLIOutcome(status: ExitStatus.usage, stdout: nil, stderr: errorLine(tool, message))
    }

    /// `tool: error: message`, folded onto one line so scripts can `read` it.
    public static func errorLine(_ tool: String, _ message: String) -> String {
        "\(tool): error: " + message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

extension ParsableCommand {
    /// The entry point of every CivicLedger tool: parse, run, exit as documented.
    public static func runAsTool(named tool: String) -> Never {
        let outcome: CLIOutcome
        do {
            var command = try parseAsRoot(ProcessArguments.current)
            try command.run()
            outcome = CLIOutcome(status: ExitStatus.success, stdout: nil, stderr: nil)
        } catch {
            outcome = CLIOutcome.of(error, command: Self.self, tool: tool)
        }
        outcome.finish()
    }
}

extension CLIOutcome {
    /// Prints the outcome and exits with its status.
    func finish() -> Never {
        if let text = stdout { Console.writeOut(text) }
        if let text = stderr { Console.writeError(text) }
        terminateProcess(status)
    }
}

/// Outside the command type, whose `exit(withError:)` would shadow libc's `exit`.
func terminateProcess(_ status: Int32) -> Never {
    exit(status)
}

extension AsyncParsableCommand {
    /// `runAsTool` for commands that run asynchronously (the node daemon).
    public static func runAsAsyncTool(named tool: String) async -> Never {
        let outcome: CLIOutcome
        do {
            var command = try parseAsRoot(ProcessArguments.current)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            outcome = CLIOutcome(status: ExitStatus.success, stdout: nil, stderr: nil)
        } catch {
            outcome = CLIOutcome.of(error, command: Self.self, tool: tool)
        }
        outcome.finish()
    }
}
