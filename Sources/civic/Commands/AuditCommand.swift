import ArgumentParser
import CLISupport
import CivicClient
import Foundation
import LedgerState
import NodeAPIModel

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Trace invoices and look for anomalies — for tax auditors (税务稽查).",
        discussion: "Audit reads need no key: the chain's invoice records are open to the bureaus' auditors.",
        subcommands: [Trace.self, Invoices.self, Anomalies.self]
    )

    struct Trace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An invoice's whole life (全流程追溯): each step, who took it, block height and time.",
            discussion: """
                With --trustless the node is not believed: the invoice and every step of its trace
                come with state proofs, checked against the certificate of 2f+1 validators from
                the genesis file (--genesis), at a block no older than --max-age. A node can then
                neither hide a reimbursement nor invent one. See docs/trust-model.md.
                """)

        @OptionGroup var options: ClientOptions
        @OptionGroup var invoice: InvoiceNumber
        @OptionGroup var trust: TrustOptions

        func run() async throws {
            guard trust.trustless else { return try await InvoiceText.show(invoice, options: options) }
            let session = try Session(options)
            let light = try trust.lightClient(session)
            let id = try invoice.id()
            let proven: (trace: LedgerQueries.InvoiceTrace?, proven: TrustAnchor.Verified)
            do { proven = try await light.invoiceTrace(id) } catch { throw TrustOptions.failure(error) }
            let summary = TrustlessSummary(proven.proven)
            guard let trace = proven.trace else {
                // Proven absent: the node did not just fail to find it.
                throw CLIFailure.negative("no invoice \(id) (its absence is proven; \(summary.line))")
            }
            if options.json {
                struct Proven: Encodable { let trace: InvoiceTraceView; let trustless: TrustlessSummary }
                return Output.json(Proven(trace: InvoiceTraceView(trace), trustless: summary))
            }
            InvoiceText.print(InvoiceTraceView(trace))
            Output.line("")
            Output.line(summary.line)
        }
    }

    struct Invoices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "All of a taxpayer's invoices as seller or buyer in a time range; optionally as CSV.")

        @OptionGroup var options: ClientOptions
        @OptionGroup var party: InvoiceParty
        @Option(help: ArgumentHelp("Also write them to this CSV file (UTF-8, RFC 4180).", valueName: "FILE"))
        var csv: String?
        @Option(help: "Stop after this many invoices.")
        var max: Int = 100_000

        func run() async throws {
            let session = try Session(options)
            guard (1...1_000_000).contains(max) else { throw CLIFailure.input("--max is 1 to 1000000") }
            var filter = try party.filter()
            filter.limit = 500
            var invoices: [InvoiceView] = []
            // Bounded by --max: each page adds up to 500 invoices or ends the loop.
            while invoices.count < max {
                let page = try await session.call { () async throws(ClientError) in try await session.client.invoices(filter) }
                invoices += page.invoices
                guard let next = page.nextCursor, !page.invoices.isEmpty, next != filter.cursor else { break }
                filter.cursor = next
            }
            invoices = Array(invoices.prefix(max))
            if let csv { try CSVFile.write(invoices, to: csv) }
            if options.json { return Output.json(invoices) }
            InvoiceText.table(invoices)
            let total = invoices.reduce(into: (amount: UInt64(0), tax: UInt64(0))) {
                $0.amount &+= $1.amountFen
                $0.tax &+= $1.taxFen
            }
            Output.line("\(invoices.count) invoice\(invoices.count == 1 ? "" : "s"), amount \(Output.yuan(total.amount)), tax \(Output.yuan(total.tax))")
            if let csv { Output.line("written to \(csv)") }
        }
    }

    struct Anomalies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refused reimbursements, reversals after claim, refused consent uses and bursts of consent uses.",
            discussion: "Scans the receipts of a range of blocks (default: the last 1000).")

        @OptionGroup var options: ClientOptions
        @Option(help: "First block height to scan.")
        var fromHeight: UInt64?
        @Option(help: "Last block height to scan (default: the chain's height).")
        var toHeight: UInt64?
        @Option(help: "A burst is at least this many uses of one consent grant…")
        var burstUses: Int = 5
        @Option(help: ArgumentHelp("…within this long (90s, 10m, 1h).", valueName: "DURATION"))
        var burstWindow: String = "10m"

        func run() async throws {
            let session = try Session(options)
            guard (2...10_000).contains(burstUses) else { throw CLIFailure.input("--burst-uses is 2 to 10000") }
            let window = try Arguments.duration(burstWindow, option: "--burst-window")
            let chain = try await session.chain()
            let last = Swift.min(toHeight ?? chain.height, chain.height)
            let first = fromHeight ?? (last >= 999 ? last - 999 : 1)
            guard first <= last, last - first < 100_000 else {
                throw CLIFailure.input("scan 1 to 100000 blocks: --from-height \(first) --to-height \(last)")
            }
            var blocks: [BlockReceiptsView] = []
            for height in Swift.max(first, 1)...Swift.max(last, 1) where last >= 1 {
                blocks.append(try await session.call { () async throws(ClientError) in try await session.client.receipts(height: height) })
            }
            let scan = AnomalyScan(burstUses: burstUses, burstWindowMillis: window)
            var traces: [InvoiceTraceView] = []
            for invoice in scan.reversals(in: blocks) {
                traces.append(try await session.call { () async throws(ClientError) in try await session.client.invoice(code: invoice.code, number: invoice.number) })
            }
            let found = scan.find(in: blocks, traces: traces)
            if options.json { return Output.json(found) }
            Output.line("scanned blocks \(Swift.max(first, 1))–\(last)")
            guard !found.isEmpty else { return Output.line("no anomalies") }
            Output.table(
                ["height", "when", "kind", "subject", "detail"],
                found.map { [String($0.height), Output.time($0.timeMillis), $0.kind.rawValue, $0.subject, $0.detail] })
        }
    }
}

/// Invoices as CSV (RFC 4180: comma-separated, CRLF, fields with commas,
/// quotes or line breaks quoted and inner quotes doubled).
enum CSVFile {
    static func write(_ invoices: [InvoiceView], to path: String) throws(CLIFailure) {
        let header = ["code", "number", "seller", "buyer", "amount_fen", "tax_fen", "issued_at_millis", "status", "document_digest"]
        var lines = [header.joined(separator: ",")]
        for invoice in invoices {
            let fields = [
                invoice.code, invoice.number, invoice.seller, invoice.buyer, String(invoice.amountFen), String(invoice.taxFen),
                String(invoice.issuedAtMillis), invoice.status, invoice.documentDigest,
            ]
            lines.append(fields.map(quote).joined(separator: ","))
        }
        let text = lines.joined(separator: "\r\n") + "\r\n"
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .input("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
