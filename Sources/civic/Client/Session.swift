import CLISupport
import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel

/// One command's connection to a node: the client, the sender for writes, and
/// the translation of every client error into the documented exit codes.
struct Session {
    let options: ClientOptions
    let client: NodeClient
    let sender: TransactionSender

    init(_ options: ClientOptions) throws(CLIFailure) {
        guard let url = URL(string: options.nodeURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else { throw .input("--node must be an http:// or https:// URL, got \"\(options.nodeURL)\"") }
        self.options = options
        client = NodeClient(baseURL: url)
        sender = TransactionSender(client: client, wait: .seconds(options.wait))
    }

    /// The key named by --key, which the command needs.
    func key(for role: String) throws(CLIFailure) -> PrivateKey {
        let path = options.keyPath
        guard !path.isEmpty else { throw .input("this command needs --key: \(role)") }
        do { return try KeyFile.load(from: path) } catch { throw .input(error.description) }
    }

    /// The chain the node serves: id, suite, height.
    func chain() async throws(CLIFailure) -> ChainContext {
        try await call { () async throws(ClientError) in try await sender.chain() }
    }

    /// Runs a client call, mapping its failure to one line and an exit status.
    func call<T>(_ body: () async throws(ClientError) -> T) async throws(CLIFailure) -> T {
        do { return try await body() } catch { throw Self.failure(error) }
    }

    static func failure(_ error: ClientError) -> CLIFailure {
        switch error {
        case .unreachable, .badResponse, .badURL: return .unavailable(error.description)
        case .badInput: return .input(error.description)
        case let .refused(status, code, message):
            // A malformed request is the caller's input error; anything else the node refused is a "no".
            if status == 400 || status == 413 { return .input("\(code): \(message)") }
            if status >= 500 { return .unavailable("\(code): \(message)") }
            return .negative("REFUSED: \(code): \(message)")
        case let .rejected(code, message): return .negative("REFUSED: \(code): \(message)")
        case .notCommitted: return .unavailable(error.description)
        }
    }

    /// Signs, submits and waits, with a progress line on a terminal; returns the
    /// receipt whether the ledger accepted the transaction or refused it.
    func send(_ operation: LedgerOperation, key: PrivateKey, chain: ChainContext, waiting label: String) async throws(CLIFailure) -> CommittedTransaction {
        try await send(try sign(operation, key: key, chain: chain), waiting: label)
    }

    func sign(_ operation: LedgerOperation, key: PrivateKey, chain: ChainContext) throws(CLIFailure) -> SignedTransaction {
        do { return try sender.sign(operation, key: key, chain: chain) } catch { throw Self.failure(error) }
    }

    /// Submits a signed transaction and waits, with a progress line on a terminal.
    func send(_ signed: SignedTransaction, waiting label: String) async throws(CLIFailure) -> CommittedTransaction {
        try await call { () async throws(ClientError) -> CommittedTransaction in
            let progress = Progress(label: label)
            defer { progress.finish() }
            return try await sender.send(signed, progress: progress.update)
        }
    }

    /// Signs `operation` with `key`, submits it, waits for the commit with a
    /// progress line on a terminal, and returns the receipt. A refused receipt
    /// is printed (JSON) and becomes a `REFUSED` failure.
    func commit(
        _ operation: LedgerOperation, key: PrivateKey, chain: ChainContext,
        extra: (_ txid: String) -> [String: String] = { _ in [:] }
    ) async throws(CLIFailure) -> CommittedTransaction {
        let committed = try await send(operation, key: key, chain: chain, waiting: "waiting for commit")
        if options.json {
            Output.json(TransactionResult(committed, extra: extra(committed.txid)))
        }
        guard committed.receipt.accepted else {
            throw .negative("REFUSED: \(committed.receipt.code): \(committed.receipt.message)")
        }
        return committed
    }
}

/// What a writing command prints with --json.
struct TransactionResult: Encodable {
    let txid: String
    let accepted: Bool
    let code: String
    let message: String
    let height: UInt64
    let details: [String: String]

    init(_ committed: CommittedTransaction, extra: [String: String]) {
        txid = committed.txid
        accepted = committed.receipt.accepted
        code = committed.receipt.code
        message = committed.receipt.message
        height = committed.receipt.height
        details = extra
    }
}
