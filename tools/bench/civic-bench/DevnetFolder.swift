import BenchSupport
import Foundation
import GenesisFile
import LedgerCrypto
import LedgerState

/// What a benchmark takes from a devnet folder (`tools/devnet up`): the chain,
/// every bureau's admin key, each node's API address and running pid.
struct DevnetFolder {
    let path: String
    let chain: ChainParameters
    /// Bureau id → admin key, for the bureaus the devnet has keys for.
    let admins: [String: PrivateKey]
    let apis: [String]
    let names: [String]

    init(path: String) throws {
        self.path = path
        let genesis = try GenesisFile.load(path: "\(path)/genesis.toml").document()
        chain = ChainParameters(genesis: genesis)
        var admins: [String: PrivateKey] = [:]
        for (index, bureau) in genesis.bureaus.enumerated() {
            admins[bureau.id.description] = try KeyFile.load(from: "\(path)/node\(index + 1)/admin.key")
        }
        self.admins = admins
        names = (1...genesis.bureaus.count).map { "node\($0)" }
        apis = try names.map { try BenchDevnet.apiAddress("\(path)/\($0)/node.toml") }
    }

    /// The running nodes, from the node.pid files tools/devnet writes.
    func processes() -> ProcessSet {
        var pids: [Int32] = []
        for name in names {
            let text = (try? String(contentsOfFile: "\(path)/\(name)/node.pid", encoding: .utf8)) ?? ""
            pids.append(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1)
        }
        return ProcessSet(names: names, pids: pids)
    }

    /// Bytes under each node's data directory (RocksDB files and logs).
    func dataBytes() -> [UInt64] {
        names.map { name in
            let root = URL(fileURLWithPath: "\(path)/\(name)/data")
            guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
            var total: UInt64 = 0
            for case let file as URL in files {
                total += UInt64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
            }
            return total
        }
    }
}
