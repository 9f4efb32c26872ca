/// An outcome the CLI reports with a chosen exit code and one line on stderr.
struct CivicFailure: Error {
    static let negativeExitCode: Int32 = 1
    static let usageExitCode: Int32 = 2

    /// nil when the answer itself (e.g. `invalid` on stdout) says everything.
    var message: String?
    var exitCode: Int32

    /// Bad arguments or unusable input: exit 2.
    static func input(_ message: String) -> CivicFailure {
        CivicFailure(message: message, exitCode: usageExitCode)
    }

    /// A well-formed question whose answer is "no": exit 1.
    static func negative(_ message: String?) -> CivicFailure {
        CivicFailure(message: message, exitCode: negativeExitCode)
    }
}
