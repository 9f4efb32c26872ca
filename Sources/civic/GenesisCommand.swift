import ArgumentParser
import CLISupport
import Foundation
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState
import PeerNetwork

/// `civic genesis devnet`: everything a local cluster needs, generated from a
/// genesis template — a node key and an admin key per bureau, the genesis
/// file with their public keys filled in, the cluster CA, one TLS certificate
/// per node bound to its node key, and each node's node.toml.
struct GenesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis",
        abstract: "Create a cluster's genesis material (keys, genesis file, CA and node certificates).",
        subcommands: [Devnet.self]
    )

    struct Devnet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "devnet",
            abstract: "Generate a local devnet under --out from a genesis template.",
            discussion: """
                Writes, for a template with n bureaus (n = 3f + 1, in genesis order):
                  OUT/genesis.toml            the template with node_key / admin_key filled in
                  OUT/ca.pem, OUT/ca.key      the cluster CA (TLS only; keep ca.key private)
                  OUT/nodeI/node.key          bureau I's node key (consensus signatures), mode 0600
                  OUT/nodeI/admin.key         bureau I's admin key (licences, registry, governance), mode 0600
                  OUT/nodeI/tls.pem, tls.key  the node's TLS certificate, bound to its node key
                  OUT/nodeI/node.toml         its configuration: peer port BASE+I, API port API-BASE+I
                Private keys are generated here and never leave OUT; none belongs in git.
                Refuses to overwrite an existing OUT/genesis.toml unless --force.
                """
        )

        @Option(help: "Genesis template with empty keys.")
        var template = "Genesis/devnet.toml"

        @Option(help: "Output folder.")
        var out = "Nodes"

        @Option(help: "Host the nodes listen on and dial.")
        var host = "127.0.0.1"

        @Option(help: "Peer port of node1; nodeI listens on BASE+I-1.")
        var peerPortBase = 7101

        @Option(help: "API port of node1; nodeI serves on API-BASE+I-1.")
        var apiPortBase = 8101

        @Flag(help: "Replace existing devnet material in --out (wipes keys; the chain starts over).")
        var force = false

        func run() throws {
            do {
                try generate()
            } catch let failure as CLIFailure {
                throw failure
            } catch {
                throw CLIFailure.input("\(error)")
            }
        }

        func generate() throws {
            guard (1...65000).contains(peerPortBase), (1...65000).contains(apiPortBase) else {
                throw CLIFailure.input("ports must be in 1...65000")
            }
            let fm = FileManager.default
            let genesisPath = (out as NSString).appendingPathComponent("genesis.toml")
            if fm.fileExists(atPath: genesisPath), !force {
                throw CLIFailure.input("\(genesisPath) exists; pass --force to generate a new devnet (the old chain's data becomes useless)")
            }
            let text: String
            do { text = try String(contentsOfFile: template, encoding: .utf8) } catch {
                throw CLIFailure.input("cannot read \(template): \(error.localizedDescription)")
            }
            let spec = try GenesisFile.parse(text, file: template)
            let suite = CryptoSuites.suite(spec.suite)
            guard spec.bureaus.count >= 4, (spec.bureaus.count - 1) % 3 == 0 else {
                throw CLIFailure.input("\(template) has \(spec.bureaus.count) bureaus; PBFT needs n = 3f + 1 ≥ 4")
            }

            var keys: [BureauID: (node: PrivateKey, admin: PrivateKey)] = [:]
            for bureau in spec.bureaus {
                keys[bureau.id] = (try suite.generatePrivateKey(), try suite.generatePrivateKey())
            }
            let filled = try GenesisFile.fillingKeys(
                text, file: template, keys: keys.mapValues { ($0.node.publicKey.compressed, $0.admin.publicKey.compressed) })
            let document = try GenesisFile.parse(filled, file: genesisPath).document()

            if force {
                for index in document.bureaus.indices {
                    let folder = (out as NSString).appendingPathComponent("node\(index + 1)")
                    if fm.fileExists(atPath: folder) { try fm.removeItem(atPath: folder) }
                }
            }
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
            // Whole seconds (X.509 times have no fractions, so the node
            // certificates fall exactly within the CA's validity), and an hour
            // back, so a node whose clock is a little behind accepts them.
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
            let ca = try ClusterCA.create(commonName: "\(document.chainID) cluster CA", notBefore: now, validityDays: 3650)
            try TLSIdentity.write(
                ca, certificatePath: (out as NSString).appendingPathComponent("ca.pem"),
                privateKeyPath: (out as NSString).appendingPathComponent("ca.key"))

            for (index, bureau) in document.bureaus.enumerated() {
                let name = "node\(index + 1)"
                let folder = (out as NSString).appendingPathComponent(name)
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                guard let pair = keys[bureau.id] else { throw CLIFailure.input("no key generated for \(bureau.id)") }
                try KeyFile.write(pair.node, to: (folder as NSString).appendingPathComponent("node.key"), overwrite: true)
                try KeyFile.write(pair.admin, to: (folder as NSString).appendingPathComponent("admin.key"), overwrite: true)
                let certificate = try ClusterCA.issueNodeCertificate(
                    ca: ca, nodeName: "\(name) \(bureau.id)", genesisNodeKey: bureau.nodeKey.bytes,
                    hosts: Array(Set([host, "127.0.0.1", "localhost"])).sorted(), notBefore: now, validityDays: 825)
                try TLSIdentity.write(
                    certificate, certificatePath: (folder as NSString).appendingPathComponent("tls.pem"),
                    privateKeyPath: (folder as NSString).appendingPathComponent("tls.key"))
                let config = NodeTOML.render(
                    name: name, replica: index, bureau: bureau, host: host, peerPortBase: peerPortBase,
                    apiPortBase: apiPortBase, count: document.bureaus.count)
                try Data(config.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("node.toml")))
            }
            // Written last: its presence marks a complete devnet.
            try Data(filled.utf8).write(to: URL(fileURLWithPath: genesisPath), options: .atomic)

            print("devnet for chain \(document.chainID) (\(suite.id)) in \(out)/:")
            for (index, bureau) in document.bureaus.enumerated() {
                print("  node\(index + 1)  \(bureau.id)  \(bureau.nameZh) \(bureau.nameEn)  peer \(host):\(peerPortBase + index)  api http://\(host):\(apiPortBase + index)")
            }
        }
    }
}

/// The node.toml written for each devnet node; the format is in docs/operations.md.
enum NodeTOML {
    static func render(
        name: String, replica: Int, bureau: Bureau, host: String, peerPortBase: Int, apiPortBase: Int, count: Int
    ) -> String {
        var peers = ""
        for index in 0..<count {
            peers += """

                [[peers]]
                replica = \(index)
                address = "\(host):\(peerPortBase + index)"

                """
        }
        return """
            # \(name): \(bureau.nameZh) \(bureau.nameEn) (\(bureau.id)). Generated by `civic genesis devnet`.
            # Relative paths are taken from this file's folder.

            [node]
            name = "\(name)"
            replica = \(replica)
            genesis = "../genesis.toml"
            data_dir = "data"
            log_level = "info"

            [keys]
            node_key = "node.key"
            tls_ca = "../ca.pem"
            tls_certificate = "tls.pem"
            tls_key = "tls.key"

            [peer]
            listen = "\(host):\(peerPortBase + replica)"

            [api]
            listen = "\(host):\(apiPortBase + replica)"

            [consensus]
            batch_delay_ms = 50
            max_batch_transactions = 512
            request_timeout_ms = 2000
            view_change_timeout_ms = 2000
            status_interval_ms = 200

            [mempool]
            max_per_sender = 5000
            \(peers)
            """
    }
}
