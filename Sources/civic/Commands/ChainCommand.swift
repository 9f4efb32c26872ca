import ArgumentParser
import CLISupport
import CivicClient
import NodeAPIModel

struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Read the chain: status, blocks, transactions, bureaus.",
        subcommands: [Status.self, Block.self, Tx.self, Bureaus.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The node's height, view, state root and peers.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let session = try Session(options)
            let status = try await session.call { () async throws(ClientError) in try await session.client.status() }
            if options.json { return Output.json(status) }
            Output.fields([
                ("node", "\(status.nodeName) (replica \(status.replica))"),
                ("chain", "\(status.chainID), suite \(status.suite)"),
                ("height", String(status.height)),
                ("block time", Output.time(status.blockTimeMillis)),
                ("block hash", status.blockHash),
                ("state root", status.stateRoot),
                ("view", "\(status.view), primary \(status.primary)\(status.changingView ? ", changing view" : "")"),
                ("peers", status.connectedPeers.map(String.init).joined(separator: " ")),
                ("mempool", String(status.mempoolSize)),
                ("certified", status.certifiedHeight.map { "block \($0) (what --trustless answers are proven at)" } ?? "none yet"),
            ])
        }
    }

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A committed block with its receipts.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The block height.")
        var height: UInt64

        struct Shown: Encodable {
            let block: BlockView
            let receipts: [ReceiptView]
        }

        func run() async throws {
            let session = try Session(options)
            let block = try await session.call { () async throws(ClientError) in try await session.client.block(height: height) }
            let receipts = try await session.call { () async throws(ClientError) in try await session.client.receipts(height: height) }
            if options.json { return Output.json(Shown(block: block, receipts: receipts.receipts)) }
            Output.fields([
                ("height", String(block.height)),
                ("time", Output.time(block.timestampMillis)),
                ("hash", block.blockHash),
                ("previous", block.previousHash),
                ("state root", "\(block.stateRoot) (after the parent block)"),
                ("proposer", block.proposer),
                ("signed by", "replicas " + block.signers.map(String.init).joined(separator: " ")),
            ])
            guard !receipts.receipts.isEmpty else { return Output.line("\nno transactions") }
            Output.line("")
            Output.table(
                ["#", "transaction", "kind", "result", "subject"],
                receipts.receipts.map { [String($0.index), Output.short($0.txid), $0.kindName ?? String($0.kind), $0.code, $0.subject ?? ""] })
        }
    }

    struct Tx: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A transaction's receipt: committed (accepted or refused), pending or unknown.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The transaction id.")
        var txid: String

        func run() async throws {
            let session = try Session(options)
            let id = try Identifiers.txid(txid)
            let lookup = try await session.call { () async throws(ClientError) in try await session.client.receipt(txid: id) }
            switch lookup {
            case let .committed(receipt):
                if options.json { return Output.json(receipt) }
                Output.fields([
                    ("transaction", receipt.txid), ("kind", receipt.kindName ?? String(receipt.kind)),
                    ("height", "\(receipt.height), index \(receipt.index)"), ("sender", receipt.sender),
                    ("result", receipt.accepted ? "accepted (\(receipt.code))" : "refused: \(receipt.code)"), ("message", receipt.message),
                ])
            case .pending:
                if options.json { return Output.json(PendingView(txid: id)) }
                Output.line("transaction \(id) is pending: admitted, not yet committed")
            case .unknown:
                throw CLIFailure.negative("REFUSED: NOT_FOUND: no transaction \(id) on this node (never submitted, expired, or dropped)")
            }
        }
    }

    struct Bureaus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The bureaus (委办局) and what each may issue or register.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let session = try Session(options)
            let list = try await session.call { () async throws(ClientError) in try await session.client.bureaus() }
            if options.json { return Output.json(list) }
            for bureau in list.bureaus {
                var registers: [String] = []
                if bureau.rights.registersOffices { registers.append("offices") }
                if bureau.rights.registersTaxpayers { registers.append("taxpayers") }
                if bureau.rights.registersAuditors { registers.append("auditors") }
                Output.line("\(bureau.id)  \(bureau.nameZh)  \(bureau.nameEn)")
                if !registers.isEmpty { Output.line("  registers: " + registers.joined(separator: ", ")) }
                for type in bureau.rights.licenceTypes {
                    Output.line("  issues \(type.code)  \(type.nameZh ?? "")  \(type.nameEn ?? "")")
                }
            }
        }
    }
}
