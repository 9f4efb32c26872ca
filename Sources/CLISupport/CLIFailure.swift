/// Exit statuses shared by every CivicLedger command-line tool.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A well-formed question whose answer is "no" (invalid signature, key not found).
    public static let negative: Int32 = 1
    /// Bad arguments or unusable input; explained in one line on stderr.
    public static let usage: Int32 = 2
    /// The node could not be reached, or answered something the API does not describe.
    public static let unavailable: Int32 = 3
}

/// An outcome a command reports with a chosen status and at most one line on stderr.
public struct CLIFailure: Error, Equatable {
    /// nil when the answer on stdout (e.g. `invalid`) already says everything.
    public var message: String?
    public var exitCode: Int32

    public init(message: String?, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    public static func input(_ message: String) -> CLIFailure {
        CLIFailure(message: message, exitCode: ExitStatus.usage)
    }

    public static func negative(_ message: String?) -> CLIFailure {
        CLIFailure(message: message, exitCode: ExitStatus.negative)
    }

    public static func unavailable(_ message: String) -> CLIFailure {
        CLIFailure(message: message, exitCode: ExitStatus.unavailable)
    }
}
