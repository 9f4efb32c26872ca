import ArgumentParser
import CLISupport
import CivicClient
import LedgerCore
import LedgerState
import NodeAPIModel

struct InvoiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "Issue, claim, reimburse and reverse e-invoices (区块链电子发票) — for taxpayers.",
        discussion: """
            An invoice is its 发票代码 (code, 10 to 12 digits) and 发票号码 (number, 8 to 20
            digits). The seller issues and may reverse (红冲) it while issued or claimed; the
            buyer claims it, then reimburses it (报销) — once, ever. --key is the acting
            taxpayer's registered key. Amounts are yuan with at most two decimals and are
            kept on chain as integer fen (分).
            """,
        subcommands: [Issue.self, Show.self, List.self, Claim.self, Reimburse.self, Reverse.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an invoice as the seller (开票).")

        @OptionGroup var options: ClientOptions
        @Option(help: "发票代码 (invoice code).")
        var code: String
        @Option(help: "发票号码 (invoice number).")
        var number: String
        @Option(help: "The buyer's 统一社会信用代码 (unified social credit code).")
        var buyer: String
        @Option(help: ArgumentHelp("Amount before tax, in yuan (e.g. 1000.00).", valueName: "YUAN"))
        var amount: String
        @Option(help: ArgumentHelp("Tax, in yuan.", valueName: "YUAN"))
        var tax: String = "0"
        @Option(help: ArgumentHelp("The invoice document (OFD/PDF/XML); only its digest goes on chain.", valueName: "FILE"))
        var document: String

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "the seller's taxpayer key")
            let id = try Identifiers.invoice(code: code, number: number)
            let buyer = try Identifiers.taxpayer(buyer, option: "--buyer")
            let amountFen = try Arguments.fen(amount, option: "--amount")
            let taxFen = try Arguments.fen(tax, option: "--tax")
            let chain = try await session.chain()
            let digest = try InputFile.digest(document, suite: chain.suite)
            let issue = try payload { () throws(CanonicalError) in
                try InvoiceIssue(invoice: id, buyer: buyer, amountFen: amountFen, taxFen: taxFen, documentDigest: digest)
            }
            let committed = try await session.commit(.issueInvoice(issue), key: key, chain: chain) { _ in ["invoice": id.description] }
            if !options.json {
                Output.line("invoice \(id.code) \(id.number) issued (已开具) to \(buyer.value): \(Output.yuan(amountFen)) + tax \(Output.yuan(taxFen)), height \(committed.receipt.height)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an invoice and its history.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var invoice: InvoiceNumber

        func run() async throws {
            try await InvoiceText.show(invoice, options: options)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a taxpayer's invoices as seller or buyer, oldest first.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var party: InvoiceParty
        @Option(help: "At most this many.")
        var limit: Int = 50

        func run() async throws {
            let session = try Session(options)
            guard (1...500).contains(limit) else { throw CLIFailure.input("--limit is 1 to 500") }
            var filter = try party.filter()
            filter.limit = limit
            let page = try await session.call { () async throws(ClientError) in try await session.client.invoices(filter) }
            if options.json { return Output.json(page) }
            InvoiceText.table(page.invoices)
            if page.nextCursor != nil { Output.line("(more: use `civic audit invoices` to list them all)") }
        }
    }

    struct Action: ParsableArguments {
        @OptionGroup var options: ClientOptions
        @OptionGroup var invoice: InvoiceNumber
        @Option(help: "A note kept on chain with this step.")
        var reason: String = ""
    }

    static func act(_ action: Action, _ make: (InvoiceAction) -> LedgerOperation, role: String, done: String) async throws {
        let session = try Session(action.options)
        let key = try session.key(for: role)
        let id = try action.invoice.id()
        let payload = try payload { () throws(CanonicalError) in try InvoiceAction(invoice: id, reason: action.reason) }
        let chain = try await session.chain()
        let committed = try await session.commit(make(payload), key: key, chain: chain) { _ in ["invoice": id.description] }
        if !action.options.json { Output.line("invoice \(id.code) \(id.number) \(done) at height \(committed.receipt.height)") }
    }

    struct Claim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Claim an invoice as its buyer (认领/入账).")
        @OptionGroup var action: Action
        func run() async throws { try await InvoiceCommand.act(action, LedgerOperation.claimInvoice, role: "the buyer's taxpayer key", done: "claimed (已认领)") }
    }

    struct Reimburse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reimburse a claimed invoice (报销) — once, ever.")
        @OptionGroup var action: Action
        func run() async throws { try await InvoiceCommand.act(action, LedgerOperation.reimburseInvoice, role: "the buyer's taxpayer key", done: "reimbursed (已报销)") }
    }

    struct Reverse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reverse an issued or claimed invoice as its seller (红冲).")
        @OptionGroup var action: Action
        func validate() throws {
            guard !action.reason.isEmpty else { throw ValidationError("a reversal (红冲) needs --reason; it is kept on chain") }
        }
        func run() async throws { try await InvoiceCommand.act(action, LedgerOperation.reverseInvoice, role: "the seller's taxpayer key", done: "reversed (已红冲)") }
    }
}

/// An invoice on the command line: its 发票代码 and 发票号码.
struct InvoiceNumber: ParsableArguments {
    @Argument(help: "发票代码 (invoice code).")
    var code: String
    @Argument(help: "发票号码 (invoice number).")
    var number: String

    func id() throws(CLIFailure) -> InvoiceID { try Identifiers.invoice(code: code, number: number) }
}

/// `--seller X` or `--buyer X`, with an optional time range.
struct InvoiceParty: ParsableArguments {
    @Option(help: "The seller's credit code (or public key in hex).")
    var seller: String?
    @Option(help: "The buyer's credit code (or public key in hex).")
    var buyer: String?
    @Option(help: ArgumentHelp("Issued at or after: 2026-01-01, 2026-01-01T09:00 or Unix millis.", valueName: "TIME"))
    var from: String?
    @Option(help: ArgumentHelp("Issued before (same forms).", valueName: "TIME"))
    var to: String?

    func filter() throws(CLIFailure) -> NodeClient.InvoiceFilter {
        let (party, role): (String, String)
        switch (seller, buyer) {
        case let (seller?, nil): (party, role) = (seller, "seller")
        case let (nil, buyer?): (party, role) = (buyer, "buyer")
        default: throw .input("give exactly one of --seller and --buyer")
        }
        let fromMillis = try from.map { text throws(CLIFailure) in try Arguments.time(text, option: "--from") }
        let toMillis = try to.map { text throws(CLIFailure) in try Arguments.time(text, option: "--to") }
        if let fromMillis, let toMillis, toMillis <= fromMillis { throw .input("--to must be after --from") }
        return NodeClient.InvoiceFilter(party: party, role: role, fromMillis: fromMillis, toMillis: toMillis)
    }
}

enum InvoiceText {
    /// `invoice show` and `audit trace`: one invoice with its whole history.
    static func show(_ invoice: InvoiceNumber, options: ClientOptions) async throws {
        let session = try Session(options)
        let id = try invoice.id()
        let trace = try await session.call { () async throws(ClientError) in try await session.client.invoice(code: id.code, number: id.number) }
        if options.json { Output.json(trace) } else { print(trace) }
    }

    static func print(_ trace: InvoiceTraceView) {
        let invoice = trace.invoice
        Output.fields([
            ("invoice", "\(invoice.code) \(invoice.number)"),
            ("seller", invoice.seller),
            ("buyer", invoice.buyer),
            ("amount", Output.yuan(invoice.amountFen)),
            ("tax", Output.yuan(invoice.taxFen)),
            ("document digest", invoice.documentDigest),
            ("status", invoice.status),
        ])
        Output.line("")
        Output.table(
            ["step", "when", "height", "by", "note"],
            trace.trace.map { [$0.status, Output.time($0.timeMillis), String($0.height), Output.short($0.actor), $0.reason] })
    }

    static func table(_ invoices: [InvoiceView]) {
        guard !invoices.isEmpty else { return Output.line("no invoices") }
        Output.table(
            ["code", "number", "seller", "buyer", "amount", "tax", "issued", "status"],
            invoices.map {
                [$0.code, $0.number, $0.seller, $0.buyer, Output.yuan($0.amountFen), Output.yuan($0.taxFen), Output.time($0.issuedAtMillis), $0.status]
            })
    }
}
