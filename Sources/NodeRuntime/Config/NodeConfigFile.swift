import Consensus
import Foundation
import GenesisFile
import TOMLKit

/// Why a node configuration was refused: the file, the key (`table.key`) and
/// what is wrong with it, so an operator can fix it without reading code.
public enum NodeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case invalid(file: String, key: String, reason: String)

    public var description: String {
        switch self {
        case let .file(message): message
        case let .invalid(file, key, reason): "\(file): \(key): \(reason)"
        }
    }
}

/// Reads `node.toml`. The format, key by key, is in docs/operations.md and in
/// the commented template `Nodes/node.toml.example`. Unknown keys are refused so
/// a typo never silently falls back to a default.
public enum NodeConfigFile {
    static let tables: [String: [String]] = [
        "node": ["name", "replica", "genesis", "data_dir", "log_level"],
        "keys": ["node_key", "tls_ca", "tls_certificate", "tls_key"],
        "peer": ["listen"],
        "api": ["listen", "signed_requests_per_second", "signed_request_burst"],
        "consensus": [
            "window", "max_batch_transactions", "max_batch_bytes", "batch_delay_ms", "max_pending_requests",
            "request_timeout_ms", "view_change_timeout_ms", "status_interval_ms", "timestamp_bound_ms",
        ],
        "mempool": ["max_transactions", "max_bytes", "max_per_sender", "resubmit_after_ms"],
    ]
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public static func load(path: String) throws(NodeConfigError) -> NodeConfiguration {
        let root: TOMLTable
        do { root = try GuardedTOML.load(path: path) } catch { throw .file(error.description) }
        let folder = (path as NSString).deletingLastPathComponent
        return try read(root, file: path, folder: folder.isEmpty ? "." : folder)
    }

    public static func parse(_ text: String, file: String, folder: String) throws(NodeConfigError) -> NodeConfiguration {
        let root: TOMLTable
        do { root = try GuardedTOML.parse(text, file: file) } catch { throw .file(error.description) }
        return try read(root, file: file, folder: folder)
    }

    static func read(_ root: TOMLTable, file: String, folder: String) throws(NodeConfigError) -> NodeConfiguration {
        let reader = Reader(file: file, folder: folder)
        for key in root.keys.sorted() where tables[key] == nil && key != "peers" {
            throw .invalid(file: file, key: key, reason: "unknown table; expected one of \((Array(tables.keys) + ["peers"]).sorted().joined(separator: ", "))")
        }
        let node = try reader.requiredTable(root, "node")
        let keys = try reader.requiredTable(root, "keys")
        let peer = try reader.requiredTable(root, "peer")
        let api = try reader.requiredTable(root, "api")
        let consensusTable = try reader.optionalTable(root, "consensus")
        let mempoolTable = try reader.optionalTable(root, "mempool")

        let name = try reader.string(node, "node", "name")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .invalid(file: file, key: "node.name", reason: "1 to 64 letters, digits, - or _")
        }
        let replica = try reader.int(node, "node", "replica", in: 0...255)
        let logLevel = try reader.optionalString(node, "node", "log_level") ?? "info"
        guard logLevels.contains(logLevel) else {
            throw .invalid(file: file, key: "node.log_level", reason: "\"\(logLevel)\" is not one of \(logLevels.joined(separator: ", "))")
        }

        let peersValue = root["peers"]
        guard let peersArray = peersValue?.array else {
            throw .invalid(file: file, key: "peers", reason: "missing: list every node of the cluster as [[peers]] with replica and address")
        }
        var peers: [NodeConfiguration.Peer] = []
        for (index, element) in peersArray.enumerated() {
            let key = "peers[\(index)]"
            guard let table = element.table else { throw .invalid(file: file, key: key, reason: "must be a table ([[peers]])") }
            try reader.checkKeys(table, key, allowed: ["replica", "address"])
            let peerReplica = try reader.int(table, key, "replica", in: 0...255)
            let address = try reader.endpoint(table, key, "address")
            peers.append(.init(replica: peerReplica, address: address))
        }
        let sorted = peers.sorted { $0.replica < $1.replica }
        guard sorted.map(\.replica) == Array(0..<sorted.count) else {
            throw .invalid(file: file, key: "peers", reason: "replicas must be 0, 1, … n-1 with no gap or repeat; got \(peers.map(\.replica))")
        }
        guard replica < sorted.count else {
            throw .invalid(file: file, key: "node.replica", reason: "\(replica) is not among the \(sorted.count) [[peers]]")
        }

        var consensus = NodeConfiguration.Consensus()
        if let table = consensusTable {
            let t = "consensus"
            consensus.window = UInt64(try reader.int(table, t, "window", in: 2...ConsensusLimits.maxWindow, default: Int(consensus.window)))
            consensus.maxBatchTransactions = try reader.int(
                table, t, "max_batch_transactions", in: 1...ConsensusLimits.maxBatchRequests, default: consensus.maxBatchTransactions)
            consensus.maxBatchBytes = try reader.int(
                table, t, "max_batch_bytes", in: 65_536...ConsensusLimits.maxBatchBytes, default: consensus.maxBatchBytes)
            // A VIEW-CHANGE carries up to a window of batches.
            guard UInt64(consensus.maxBatchBytes) * consensus.window <= UInt64(ConsensusLimits.maxAttachedBatchBytes) else {
                throw .invalid(file: file, key: "consensus.max_batch_bytes",
                               reason: "\(consensus.maxBatchBytes) × window \(consensus.window) is over the \(ConsensusLimits.maxAttachedBatchBytes)-byte view-change budget")
            }
            consensus.batchDelayMillis = UInt64(try reader.int(table, t, "batch_delay_ms", in: 0...10_000, default: Int(consensus.batchDelayMillis)))
            consensus.maxPendingRequests = try reader.int(table, t, "max_pending_requests", in: 1...(1 << 20), default: consensus.maxPendingRequests)
            consensus.requestTimeoutMillis = UInt64(try reader.int(table, t, "request_timeout_ms", in: 10...600_000, default: Int(consensus.requestTimeoutMillis)))
            consensus.viewChangeTimeoutMillis = UInt64(try reader.int(table, t, "view_change_timeout_ms", in: 10...600_000, default: Int(consensus.viewChangeTimeoutMillis)))
            consensus.statusIntervalMillis = UInt64(try reader.int(table, t, "status_interval_ms", in: 10...60_000, default: Int(consensus.statusIntervalMillis)))
            consensus.timestampBoundMillis = UInt64(try reader.int(table, t, "timestamp_bound_ms", in: 100...3_600_000, default: Int(consensus.timestampBoundMillis)))
        }
        var mempool = NodeConfiguration.Mempool()
        if let table = mempoolTable {
            let t = "mempool"
            if table["max_transactions"] != nil {
                mempool.maxTransactions = try reader.int(table, t, "max_transactions", in: 1...10_000_000)
            }
            mempool.maxBytes = try reader.int(table, t, "max_bytes", in: 65_536...(16 << 30), default: mempool.maxBytes)
            mempool.maxPerSender = try reader.int(table, t, "max_per_sender", in: 1...10_000_000, default: mempool.maxPerSender)
            mempool.resubmitAfterMillis = UInt64(try reader.int(table, t, "resubmit_after_ms", in: 100...3_600_000, default: Int(mempool.resubmitAfterMillis)))
        }

        return NodeConfiguration(
            name: name, replica: replica,
            genesisPath: try reader.path(node, "node", "genesis"),
            dataDirectory: try reader.path(node, "node", "data_dir"),
            nodeKeyPath: try reader.path(keys, "keys", "node_key"),
            tlsCAPath: try reader.path(keys, "keys", "tls_ca"),
            tlsCertificatePath: try reader.path(keys, "keys", "tls_certificate"),
            tlsKeyPath: try reader.path(keys, "keys", "tls_key"),
            peerListen: try reader.endpoint(peer, "peer", "listen"),
            peers: sorted,
            apiListen: try reader.endpoint(api, "api", "listen"),
            logLevel: logLevel, consensus: consensus, mempool: mempool,
            signedRequestsPerSecond: try reader.int(api, "api", "signed_requests_per_second", in: 1...1_000_000, default: 20),
            signedRequestBurst: try reader.int(api, "api", "signed_request_burst", in: 1...1_000_000, default: 40))
    }

    struct Reader {
        let file: String
        let folder: String

        func fail(_ key: String, _ reason: String) -> NodeConfigError { .invalid(file: file, key: key, reason: reason) }

        func optionalTable(_ root: TOMLTable, _ name: String) throws(NodeConfigError) -> TOMLTable? {
            guard let value = root[name] else { return nil }
            guard let table = value.table else { throw fail(name, "must be a table [\(name)]") }
            try checkKeys(table, name, allowed: NodeConfigFile.tables[name] ?? [])
            return table
        }

        func requiredTable(_ root: TOMLTable, _ name: String) throws(NodeConfigError) -> TOMLTable {
            guard let table = try optionalTable(root, name) else { throw fail(name, "missing table [\(name)]") }
            return table
        }

        func checkKeys(_ table: TOMLTable, _ name: String, allowed: [String]) throws(NodeConfigError) {
            if let unknown = table.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw fail("\(name).\(unknown)", "unknown key; \(name) takes \(allowed.joined(separator: ", "))")
            }
        }

        func optionalString(_ table: TOMLTable, _ name: String, _ key: String) throws(NodeConfigError) -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw fail("\(name).\(key)", "must be a string") }
            return text
        }

        func string(_ table: TOMLTable, _ name: String, _ key: String) throws(NodeConfigError) -> String {
            guard let text = try optionalString(table, name, key) else { throw fail("\(name).\(key)", "missing") }
            return text
        }

        func int(_ table: TOMLTable, _ name: String, _ key: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws(NodeConfigError) -> Int {
            guard let value = table[key] else {
                if let fallback { return fallback }
                throw fail("\(name).\(key)", "missing")
            }
            guard let number = value.int else { throw fail("\(name).\(key)", "must be an integer") }
            guard range.contains(number) else { throw fail("\(name).\(key)", "\(number) is not in \(range.lowerBound)...\(range.upperBound)") }
            return number
        }

        /// Relative paths are taken from the configuration file's folder, so a
        /// node folder can be moved as a whole.
        func path(_ table: TOMLTable, _ name: String, _ key: String) throws(NodeConfigError) -> String {
            let text = try string(table, name, key)
            guard !text.isEmpty, !text.utf8.contains(0) else { throw fail("\(name).\(key)", "must be a non-empty path") }
            if text.hasPrefix("/") { return (text as NSString).standardizingPath }
            return ((folder as NSString).appendingPathComponent(text) as NSString).standardizingPath
        }

        func endpoint(_ table: TOMLTable, _ name: String, _ key: String) throws(NodeConfigError) -> NodeConfiguration.Endpoint {
            let text = try string(table, name, key)
            guard let endpoint = Self.parseEndpoint(text) else {
                throw fail("\(name).\(key)", "\"\(text)\" is not host:port (e.g. 127.0.0.1:7001, [::1]:7001) with a port in 1...65535")
            }
            return endpoint
        }

        static func parseEndpoint(_ text: String) -> NodeConfiguration.Endpoint? {
            let host: Substring
            let portText: Substring
            if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
                host = text[text.index(after: text.startIndex)..<close]
                portText = text[text.index(close, offsetBy: 2)...]
            } else {
                guard let colon = text.lastIndex(of: ":") else { return nil }
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            }
            guard !host.isEmpty, host.count <= 253, let port = Int(portText), (1...65535).contains(port) else { return nil }
            return .init(host: String(host), port: port)
        }
    }
}
