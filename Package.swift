// swift-tools-version: 6.0
import PackageDescription

// Layout and dependency direction follow ../shared/DESIGN.md:
// LedgerCore <- LedgerCrypto <- LedgerState <- Consensus <- NodeRuntime <- executables,
// with LedgerStore used through the KeyValueStore protocol.
let package = Package(
    name: "CivicLedger",
    products: [
        .executable(name: "civic", targets: ["civic"]),
        .executable(name: "civic-store", targets: ["civic-store"]),
        .executable(name: "bench-codec", targets: ["bench-codec"]),
        .executable(name: "bench-crypto", targets: ["bench-crypto"]),
        .executable(name: "bench-ledger", targets: ["bench-ledger"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "LedgerCrypto", targets: ["LedgerCrypto"]),
        .library(name: "LedgerState", targets: ["LedgerState"]),
        .library(name: "GenesisFile", targets: ["GenesisFile"]),
        .library(name: "LedgerStore", targets: ["LedgerStore"]),
        .library(name: "TerminalQR", targets: ["TerminalQR"]),
        // StateTree (issue 4)
        .library(name: "StateTree", targets: ["StateTree"]),
        .executable(name: "bench-state-tree", targets: ["bench-state-tree"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // System libraries: installed by tools/setup-deps from Debian packages.
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        .target(
            name: "LedgerCore",
            dependencies: [.product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .target(
            name: "LedgerCrypto",
            dependencies: ["LedgerCore", "CSecp256k1", "COpenSSL", .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .target(
            name: "LedgerState",
            dependencies: ["LedgerCore", "LedgerCrypto", "LedgerStore", "StateTree", .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        // Reads Genesis/*.toml into LedgerState's genesis types; kept apart so that
        // the deterministic state machine does not link a TOML parser.
        .target(
            name: "GenesisFile",
            dependencies: ["LedgerState", "LedgerCore", "LedgerCrypto", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "LedgerStore",
            dependencies: ["CRocksDB"]
        ),
        // Exit codes and one-line errors shared by every command-line tool.
        .target(
            name: "CLISupport",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // QR codes for the terminal (counter consent requests, 扫码授权).
        .target(name: "TerminalQR", dependencies: ["CQREncode", "CPNG"]),
        // Test helpers shipped as their own module: seeded randomness, hex vectors.
        .target(name: "LedgerTesting", dependencies: ["LedgerCore"]),
        .executableTarget(
            name: "civic",
            dependencies: [
                "LedgerCore", "LedgerCrypto", "LedgerState", "GenesisFile", "PeerNetwork", "CLISupport", "CivicClient",
                "NodeAPIModel", "TerminalQR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "civic-store",
            dependencies: [
                "LedgerStore", "LedgerCore", "CLISupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only: the process StoreCrashTests SIGKILLs mid-write. Not a product.
        .executableTarget(
            name: "store-crash-writer",
            dependencies: [
                "LedgerStore", "CLISupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Table and JSON output shared by the benchmark programs.
        .target(name: "BenchSupport", path: "tools/bench/support"),
        .executableTarget(
            name: "bench-ledger",
            dependencies: [
                "BenchSupport", "BenchWorkload",
                "LedgerState", "LedgerStore", "LedgerCrypto", "LedgerCore", "LedgerTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "tools/bench/ledger"
        ),
        .executableTarget(
            name: "bench-codec",
            dependencies: [
                "BenchSupport", "Consensus", "LedgerCore", "LedgerCrypto", "LedgerTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "tools/bench/codec"
        ),
        .executableTarget(
            name: "bench-crypto",
            dependencies: ["BenchSupport", "LedgerCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "tools/bench/crypto"
        ),

        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore", "LedgerCrypto", "LedgerTesting"]),
        .testTarget(name: "LedgerCryptoTests", dependencies: ["LedgerCrypto", "LedgerCore", "LedgerTesting"]),
        .testTarget(
            name: "LedgerStateTests",
            dependencies: [
                "LedgerState", "LedgerCore", "LedgerCrypto", "LedgerStore", "StateTree", "LedgerTesting",
                // Writes deliberately non-canonical encodings that the types refuse to produce.
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(name: "GenesisFileTests", dependencies: ["GenesisFile", "LedgerState", "LedgerCore", "LedgerCrypto", "LedgerTesting"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerTesting"]),
        .testTarget(name: "CLISupportTests", dependencies: ["CLISupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "LedgerTestingTests", dependencies: ["LedgerTesting"]),
        .testTarget(name: "TerminalQRTests", dependencies: ["TerminalQR", "CPNG"]),
        // StateTree (issue 4): the authenticated map behind each block's state root.
        .target(name: "StateTree", dependencies: ["LedgerCore", "LedgerStore", .product(name: "SwiftASN1", package: "swift-asn1")]),
        .testTarget(
            name: "StateTreeTests",
            dependencies: ["StateTree", "LedgerCore", "LedgerCrypto", "LedgerStore", "LedgerTesting"]
        ),
        .executableTarget(
            name: "bench-state-tree",
            dependencies: [
                "BenchSupport",
                "StateTree", "LedgerCrypto", "LedgerStore", "LedgerCore", "LedgerTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "tools/bench/state-tree"
        ),

        // Runs the real executables as child processes.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "civic", "civic-store", "store-crash-writer", "civic-node", "civic-byzantine-node", "LedgerCrypto", "LedgerCore", "LedgerState",
                "GenesisFile", "PeerNetwork", .product(name: "Logging", package: "swift-log"),
                // The lying proxy of the trustless tests: an HTTP server that rewrites proven answers.
                "NodeAPIModel", "Consensus", .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ]
)

// Consensus (issue 5): the PBFT replica (a pure state machine), the seeded
// fault simulator that drives n real replicas, and the civic-simulate tool.
// Consensus depends on LedgerCore and LedgerCrypto only, never on ledger rules.
package.products += [
    .library(name: "Consensus", targets: ["Consensus"]),
    .executable(name: "civic-simulate", targets: ["civic-simulate"]),
]
package.targets += [
    .target(
        name: "Consensus",
        dependencies: ["LedgerCore", "LedgerCrypto", .product(name: "SwiftASN1", package: "swift-asn1")]
    ),
    .target(name: "ConsensusSim", dependencies: ["Consensus", "LedgerCore", "LedgerCrypto", "LedgerTesting"]),
    // Wrapped by tools/simulate, which builds it in release.
    .executableTarget(
        name: "civic-simulate",
        dependencies: ["ConsensusSim", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(name: "ConsensusTests", dependencies: ["Consensus", "LedgerCore", "LedgerCrypto", "LedgerTesting"]),
    .testTarget(name: "ConsensusSimTests", dependencies: ["ConsensusSim", "Consensus", "LedgerCore", "LedgerTesting"]),
]

// The node (issue 6): peer transport with mutual TLS, the HTTP API, and the
// runtime that drives consensus, execution and sync; civic-node is the daemon.
package.dependencies += [
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
]
package.products += [
    .executable(name: "civic-node", targets: ["civic-node"]),
    .executable(name: "bench-cluster", targets: ["bench-cluster"]),
    .executable(name: "bench-trustless", targets: ["bench-trustless"]),
    .library(name: "PeerNetwork", targets: ["PeerNetwork"]),
    .library(name: "NodeAPI", targets: ["NodeAPI"]),
    .library(name: "NodeRuntime", targets: ["NodeRuntime"]),
]
package.targets += [
    // TLS 1.3 peer links between bureau nodes: framing, bounded queues,
    // reconnect, and the cluster CA / node certificates bound to genesis keys.
    .target(
        name: "PeerNetwork",
        dependencies: [
            "LedgerCore", "LedgerCrypto",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            // TLSUserEvent (handshake completed), which NIOSSL raises but does not re-export.
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    // The client API's wire contract: JSON bodies and the signed-request layout,
    // shared by the server (NodeAPI) and the client (CivicClient) so they cannot drift.
    .target(name: "NodeAPIModel", dependencies: ["LedgerCore", "LedgerCrypto", "LedgerState"]),
    // The client API (Hummingbird 2) and /metrics, over a NodeBackend protocol.
    .target(
        name: "NodeAPI",
        dependencies: [
            "LedgerCore", "LedgerCrypto", "LedgerState", "NodeAPIModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]
    ),
    .target(
        name: "NodeRuntime",
        dependencies: [
            "LedgerCore", "LedgerCrypto", "LedgerState", "LedgerStore", "GenesisFile", "Consensus",
            "PeerNetwork", "NodeAPI",
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]
    ),
    // Committed throughput of a running devnet, over its HTTP API.
    .executableTarget(
        name: "bench-cluster",
        dependencies: [
            "BenchSupport", "LedgerState", "LedgerCore", "LedgerCrypto", "GenesisFile",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "tools/bench/cluster"
    ),
    // The time --trustless adds to a counter check, against a running devnet.
    .executableTarget(
        name: "bench-trustless",
        dependencies: [
            "BenchSupport", "CivicClient", "GenesisFile", "LedgerState", "LedgerCore", "LedgerCrypto", "NodeAPIModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "tools/bench/trustless"
    ),
    // What civic-node runs (logging, metrics, node and API under one service
    // group), as a library so that civic-byzantine-node runs the same node.
    .target(
        name: "NodeDaemon",
        dependencies: [
            "NodeRuntime", "NodeAPI", "CLISupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]
    ),
    .executableTarget(
        name: "civic-node",
        dependencies: [
            "NodeDaemon", "NodeRuntime", "CLISupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]
    ),
    // Test-only: the real node with a transport that misbehaves (equivocates,
    // double-votes, replays, sends garbage), for ByzantinePeerTests. Not a product.
    .executableTarget(
        name: "civic-byzantine-node",
        dependencies: [
            "NodeDaemon", "NodeRuntime", "Consensus", "LedgerCore", "LedgerCrypto", "CLISupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    .testTarget(
        name: "PeerNetworkTests",
        dependencies: [
            "PeerNetwork", "LedgerCore", "LedgerCrypto", "LedgerTesting",
            // Hand-driven TLS peers send what a PeerNetwork never would; certificates are inspected directly.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .testTarget(
        name: "NodeAPITests",
        dependencies: [
            // LedgerStore for the in-memory store under the test backend's ledger;
            // Hummingbird and Logging because the tests name their types directly.
            "NodeAPI", "NodeAPIModel", "LedgerState", "LedgerCore", "LedgerCrypto", "LedgerStore", "LedgerTesting", "StateTree",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .testTarget(
        name: "NodeRuntimeTests",
        dependencies: [
            "NodeRuntime", "NodeAPI", "Consensus", "LedgerState", "LedgerStore", "LedgerCore", "LedgerCrypto", "GenesisFile",
            "LedgerTesting", .product(name: "Logging", package: "swift-log"),
        ]
    ),
]

// The CLI for every role (issue 7): a typed client of the node API, and `civic`'s
// licence, holder, counter, invoice, audit and chain commands on top of it.
package.products += [
    .library(name: "NodeAPIModel", targets: ["NodeAPIModel"]),
    .library(name: "CivicClient", targets: ["CivicClient"]),
]
package.targets += [
    // Consensus and StateTree for the light client: state certificates and proofs checked locally.
    .target(name: "CivicClient", dependencies: ["NodeAPIModel", "LedgerCore", "LedgerCrypto", "LedgerState", "Consensus", "StateTree"]),
    .testTarget(name: "NodeAPIModelTests", dependencies: ["NodeAPIModel", "LedgerCore", "LedgerCrypto"]),
    .testTarget(
        name: "CivicClientTests",
        dependencies: ["CivicClient", "NodeAPIModel", "LedgerCore", "LedgerCrypto", "LedgerState", "LedgerTesting", "Consensus", "LedgerStore"]
    ),
]

// Fuzzing (issue 10): every decoder that takes outside bytes as a libFuzzer
// target. tools/fuzz/run builds civic-fuzz with -sanitize=fuzzer into
// .build-fuzz; a normal build gives the corpus replayer that FuzzTargetsTests uses.
package.targets += [
    .target(
        name: "FuzzTargets",
        dependencies: [
            "Consensus", "CivicClient", "GenesisFile", "LedgerCore", "LedgerCrypto", "LedgerState", "LedgerStore", "NodeAPIModel",
            // PeerFrame, the frame between nodes.
            "NodeRuntime", "StateTree",
        ],
        path: "tools/fuzz/targets"
    ),
    .executableTarget(name: "civic-fuzz", dependencies: ["FuzzTargets"], path: "tools/fuzz/driver"),
    .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
]

// Chaos (issue 10): fault campaigns against a real devnet. ChaosKit holds the
// pure parts (schedule, audit) and the link proxies; civic-chaos runs real
// civic-node processes, faults them and audits what they return. tools/chaos
// builds and runs it.
package.targets += [
    .target(
        name: "ChaosKit",
        dependencies: [
            "LedgerTesting",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ],
        path: "tools/faults/ChaosKit"
    ),
    .executableTarget(
        name: "civic-chaos",
        dependencies: [
            "ChaosKit", "BenchSupport", "CivicClient", "GenesisFile", "LedgerCore", "LedgerCrypto", "LedgerState", "NodeAPIModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "tools/faults/civic-chaos"
    ),
    .testTarget(
        name: "ChaosKitTests",
        dependencies: [
            "ChaosKit",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]
    ),
]

// Benchmarks against a running devnet (issue 9): civic-bench pre-signs a
// realistic transaction mix and signed counter checks, offers them at fixed
// rates, and records submit→commit latency in an HdrHistogram. AsyncHTTPClient
// is already in the resolved graph (HummingbirdTesting uses it); URLSession on
// Linux could not offer 10,000 requests a second from a shared 2-core machine.
package.dependencies += [
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
]
package.products += [
    .executable(name: "civic-bench", targets: ["civic-bench"]),
]
package.targets += [
    // The transaction mix of the benchmarks, shared by bench-ledger (in process)
    // and civic-bench (over HTTP): one builder per kind, so the two cannot drift.
    .target(name: "BenchWorkload", dependencies: ["LedgerState", "LedgerCore", "LedgerCrypto"], path: "tools/bench/workload"),
    .executableTarget(
        name: "civic-bench",
        dependencies: [
            "BenchSupport", "BenchWorkload", "GenesisFile", "LedgerState", "LedgerCore", "LedgerCrypto", "LedgerStore",
            "NodeAPIModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
        path: "tools/bench/civic-bench"
    ),
]
package.targets += [
    .testTarget(name: "BenchWorkloadTests", dependencies: ["BenchWorkload", "LedgerState", "LedgerCore", "LedgerCrypto", "LedgerStore"]),
]
