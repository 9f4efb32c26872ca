import LedgerCore
import LedgerCrypto

/// Signs consensus messages as one replica. A protocol so that the node signs
/// with its real key while the simulator uses a cheap authenticator.
public protocol MessageSigner: Sendable {
    var replica: ReplicaID { get }
    /// Total for a signer built from a validated key: a backend failure is an
    /// environment fault the replica cannot work around, so implementations trap.
    func sign(_ message: [UInt8]) -> [UInt8]
}

/// Checks a signature against the replica set fixed at genesis.
public protocol SignatureVerifier: Sendable {
    /// False for an unknown replica and for any signature that does not verify; never traps.
    func verify(_ signature: [UInt8], message: [UInt8], by replica: ReplicaID) -> Bool
}

/// The node's signer: the replica's node key under the chain's crypto suite.
public struct SuiteSigner: MessageSigner {
    public let replica: ReplicaID
    private let suite: any CryptoSuite
    private let key: PrivateKey

    public init(replica: ReplicaID, suite: any CryptoSuite, key: PrivateKey) throws(CryptoError) {
        guard key.suite == suite.id else { throw .wrongSuite(expected: suite.id, found: key.suite) }
        self.replica = replica
        self.suite = suite
        self.key = key
    }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        do {
            return try suite.sign(message, with: key)
        } catch {
            preconditionFailure("signing with a validated \(suite.id) key failed: \(error)")
        }
    }
}

/// Verifies against the node public keys of the replica set, index = replica id.
public struct SuiteVerifier: SignatureVerifier {
    private let suite: any CryptoSuite
    private let keys: [PublicKey]

    public init(suite: any CryptoSuite, keys: [PublicKey]) throws(CryptoError) {
        for key in keys where key.suite != suite.id {
            throw .wrongSuite(expected: suite.id, found: key.suite)
        }
        self.suite = suite
        self.keys = keys
    }

    public func verify(_ signature: [UInt8], message: [UInt8], by replica: ReplicaID) -> Bool {
        guard replica.index < keys.count else { return false }
        return suite.verify(signature: signature, for: message, publicKey: keys[replica.index])
    }
}

/// A keyed-hash authenticator, H(secret ‖ message), for the simulator only: it
/// keeps thousands of seeds fast. It is not a signature scheme (whoever verifies
/// could forge), which is acceptable only because the simulator gives each
/// byzantine replica its own signer and never the verifier's table.
public struct KeyedHashSigner: MessageSigner {
    public let replica: ReplicaID
    private let secret: [UInt8]
    private let hash: any DigestFunction

    public init(replica: ReplicaID, secret: [UInt8], hash: any DigestFunction) {
        precondition(secret.count == 32, "keyed-hash secrets are 32 bytes so that secret ‖ message is unambiguous")
        self.replica = replica
        self.secret = secret
        self.hash = hash
    }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        hash.digest(secret + message).bytes
    }
}

public struct KeyedHashVerifier: SignatureVerifier {
    private let secrets: [[UInt8]]
    private let hash: any DigestFunction

    public init(secrets: [[UInt8]], hash: any DigestFunction) {
        precondition(secrets.allSatisfy { $0.count == 32 })
        self.secrets = secrets
        self.hash = hash
    }

    public func verify(_ signature: [UInt8], message: [UInt8], by replica: ReplicaID) -> Bool {
        guard replica.index < secrets.count else { return false }
        return hash.digest(secrets[replica.index] + message).bytes == signature
    }
}
