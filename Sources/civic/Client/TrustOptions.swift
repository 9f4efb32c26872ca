import ArgumentParser
import CLISupport
import CivicClient
import Foundation
import GenesisFile
import LedgerState

/// `--trustless` and what it needs: the genesis file to trust instead of the
/// node, and the freshness bound (docs/trust-model.md).
struct TrustOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Do not trust the node: check state proofs, the block header and the certificate of 2f+1 genesis validators yourself (免信任核验)."))
    var trustless = false

    @Option(
        help: ArgumentHelp(
            "With --trustless: the chain's genesis file, whose validators you trust (default: env CIVIC_GENESIS, else Nodes/genesis.toml).",
            valueName: "FILE"))
    var genesis: String?

    var genesisPath: String { genesis ?? ProcessInfo.processInfo.environment["CIVIC_GENESIS"] ?? "Nodes/genesis.toml" }

    @Option(
        help: ArgumentHelp(
            "With --trustless: refuse an answer proven at a block older than this, so an old answer cannot be replayed (90s, 10m).",
            valueName: "DURATION"))
    var maxAge: String = "60s"

    func validate() throws {
        if !trustless, maxAge != "60s" { throw ValidationError("--max-age only applies with --trustless") }
        if !trustless, genesis != nil { throw ValidationError("--genesis only applies with --trustless") }
        _ = try Arguments.duration(maxAge, option: "--max-age")
    }

    /// The light client for `session`'s node, anchored in the genesis file.
    func lightClient(_ session: Session) throws(CLIFailure) -> LightClient {
        let document: GenesisDocument
        do { document = try GenesisFile.load(path: genesisPath).document() } catch {
            throw .input("--genesis: \(error)")
        }
        let anchor: TrustAnchor
        do { anchor = try TrustAnchor(genesis: document) } catch { throw .input("--genesis \(genesisPath): \(error)") }
        return LightClient(
            client: session.client, anchor: anchor, maxAgeMillis: try Arguments.duration(maxAge, option: "--max-age"),
            waitMillis: UInt64(session.options.wait) * 1_000)
    }

    /// The node's chain id and suite (used to sign and to hash) must be the
    /// genesis file's: in trustless mode the node is not believed on them either.
    func requireSameChain(_ chain: ChainContext, as light: LightClient) throws(CLIFailure) {
        let anchored = light.anchor.chain
        guard chain.parameters.chainID == anchored.chainID, chain.suite.id == anchored.suite.id else {
            throw .negative(
                "REFUSED: UNTRUSTED_ANSWER: the node serves chain \(chain.parameters.chainID) (\(chain.suite.id)); "
                    + "--genesis \(genesisPath) is chain \(anchored.chainID) (\(anchored.suite.id))")
        }
    }

    /// The chain to sign a transaction for, its height the newest certified
    /// one: the expiry is counted from it, so a node cannot stretch how long
    /// a signed transaction stays valid by reporting a height far ahead.
    func anchoredChain(_ chain: ChainContext, light: LightClient, asking licence: LicenceID) async throws(CLIFailure) -> ChainContext {
        let height: UInt64
        do { height = try await light.certifiedHeight(asking: licence) } catch { throw Self.failure(error) }
        return ChainContext(parameters: light.anchor.chain, height: height, blockTimeMillis: chain.blockTimeMillis)
    }

    /// A light client's failure as the CLI reports it: a node that gave no
    /// usable answer is "unavailable"; an answer that failed a check is a "no".
    static func failure(_ error: LightClient.Failure) -> CLIFailure {
        switch error {
        case let .node(error): return Session.failure(error)
        case let .untrusted(error): return .negative("REFUSED: UNTRUSTED_ANSWER: \(error)")
        }
    }
}

/// What a --trustless answer was checked against, for the output.
struct TrustlessSummary: Encodable {
    let height: UInt64
    let blockTimeMillis: UInt64
    let stateRoot: String
    let signers: [Int]

    init(_ proven: TrustAnchor.Verified) {
        height = proven.height
        blockTimeMillis = proven.timeMillis
        stateRoot = proven.stateRoot.hex
        signers = proven.signers
    }

    var line: String {
        "trustless: proven at block \(height) (\(Output.time(blockTimeMillis))), state root \(Output.short(stateRoot)), "
            + "certified by validators \(signers.map(String.init).joined(separator: ", "))"
    }
}
