import ArgumentParser
import CLISupport
import CivicClient
import LedgerCore
import LedgerState

extension RegisteredRole: ExpressibleByArgument {}

struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Register or disable offices (窗口), taxpayers (纳税人) and auditors — for bureau operators.",
        discussion: """
            Only a bureau whose genesis rights allow it may register each role (in the devnet:
            政务服务数据管理局 gsdmb registers offices; 税务局 tax registers taxpayers and
            auditors). --key is that bureau's admin key.
            """,
        subcommands: [Register.self, Disable.self]
    )

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an office, taxpayer or auditor with its key.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var target: RegistrySubjectArguments
        @Option(help: "Its name, e.g. 福田区行政服务大厅 1号窗口.")
        var name: String
        @Option(name: .customLong("subject-key"), help: ArgumentHelp("Its public key (hex) or key file.", valueName: "KEY"))
        var subjectKey: String

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "the registering bureau's admin key")
            let subject = try target.subject()
            let chain = try await session.chain()
            let subjectPublic = try Arguments.publicKey(subjectKey, suite: chain.suite, option: "--subject-key")
            let registration = try payload { () throws(CanonicalError) in
                try Registration(subject: subject, name: name, key: subjectPublic.compressed)
            }
            let committed = try await session.commit(.register(registration), key: key, chain: chain) { _ in ["subject": subject.description] }
            if !options.json { Output.line("\(subject) registered (已登记) at height \(committed.receipt.height)") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an office, taxpayer or auditor; its key stops working.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var target: RegistrySubjectArguments
        @Option(help: "Why (kept on chain).")
        var reason: String = ""

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "the registering bureau's admin key")
            let subject = try target.subject()
            let disablement = try payload { () throws(CanonicalError) in try Disablement(subject: subject, reason: reason) }
            let chain = try await session.chain()
            let committed = try await session.commit(.disable(disablement), key: key, chain: chain) { _ in ["subject": subject.description] }
            if !options.json { Output.line("\(subject) disabled at height \(committed.receipt.height)") }
        }
    }
}

/// `--role` and `--id`: the office, taxpayer or auditor a registry command acts on.
struct RegistrySubjectArguments: ParsableArguments {
    @Option(help: "office, taxpayer or auditor.")
    var role: RegisteredRole
    @Option(help: "Its id: an office or auditor slug (futian-counter-1), or a taxpayer's 统一社会信用代码.")
    var id: String

    func subject() throws(CLIFailure) -> RegistrySubject {
        guard let subject = RegistrySubject(role: role, id: id) else {
            throw .input("--id \"\(id.prefix(80))\" is not a valid \(role.rawValue) id")
        }
        return subject
    }
}
