import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

@Suite("Merkle tree (RFC 6962)")
struct MerkleTreeTests {
    let sha256 = StandardSuite.shared

    // transparency-dev/merkle testonly/constants.go: leaves and roots for sizes 0...8.
    static let leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("Roots match RFC 6962 reference values for sizes 0...8", arguments: 0...8)
    func roots(size: Int) {
        let tree = MerkleTree(leaves: Self.leaves.prefix(size).map(hex), hash: sha256)
        #expect(tree.root.hex == Self.roots[size])
    }

    // transparency-dev/merkle proof/verify_test.go, converted to 0-based indices.
    @Test("Inclusion proofs match reference paths", arguments: [
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    ])
    func referenceProofs(index: Int, size: Int, path: [String]) throws {
        let leaves = Self.leaves.prefix(size).map(hex)
        let tree = MerkleTree(leaves: leaves, hash: sha256)
        let proof = try #require(tree.proof(forLeafAt: index))
        #expect(proof.path.map(\.hex) == path)
        #expect(proof.verify(leaf: leaves[index], root: tree.root, hash: sha256))
    }

    @Test("Every proof of every tree up to 70 leaves verifies, and fails for other leaves and roots")
    func allProofs() throws {
        var rng = SeededGenerator(seed: 6962)
        for size in 1...70 {
            let leaves = (0..<size).map { _ in rng.bytes(Int.random(in: 0...40, using: &rng)) }
            let tree = MerkleTree(leaves: leaves, hash: sha256)
            for index in 0..<size {
                let proof = try #require(tree.proof(forLeafAt: index))
                #expect(proof.verify(leaf: leaves[index], root: tree.root, hash: sha256))
                #expect(!proof.verify(leaf: leaves[index] + [0], root: tree.root, hash: sha256))
                #expect(!proof.verify(leaf: leaves[index], root: sha256.digest([9]), hash: sha256))
                // The same path claimed for the sibling position must fail.
                let sibling = index ^ 1
                if sibling < size, leaves[sibling] != leaves[index] {
                    let shifted = InclusionProof(leafIndex: UInt64(sibling), treeSize: proof.treeSize, path: proof.path)
                    #expect(!shifted.verify(leaf: leaves[index], root: tree.root, hash: sha256))
                }
            }
            #expect(tree.proof(forLeafAt: size) == nil)
            #expect(tree.proof(forLeafAt: -1) == nil)
        }
    }

    @Test("A leaf cannot pass for an interior node (domain separation)")
    func secondPreimage() {
        let leaves: [[UInt8]] = [[1], [2], [3], [4]]
        let tree = MerkleTree(leaves: leaves, hash: sha256)
        // The concatenation of two leaf hashes, presented as one leaf, must not give the same root.
        let left = MerkleTree.leafHash([1], hash: sha256).bytes + MerkleTree.leafHash([2], hash: sha256).bytes
        let right = MerkleTree.leafHash([3], hash: sha256).bytes + MerkleTree.leafHash([4], hash: sha256).bytes
        #expect(MerkleTree(leaves: [left, right], hash: sha256).root != tree.root)
    }

    @Test("Malformed proofs are refused without trapping")
    func malformedProofs() {
        let tree = MerkleTree(leaves: [[1], [2], [3]], hash: sha256)
        let leaf: [UInt8] = [1]
        let d = sha256.digest([])
        for proof in [
            InclusionProof(leafIndex: 3, treeSize: 3, path: []),
            InclusionProof(leafIndex: 0, treeSize: 0, path: []),
            InclusionProof(leafIndex: 0, treeSize: 3, path: []),
            InclusionProof(leafIndex: 0, treeSize: 3, path: Array(repeating: d, count: 65)),
            InclusionProof(leafIndex: UInt64.max, treeSize: UInt64.max, path: [d]),
        ] {
            #expect(!proof.verify(leaf: leaf, root: tree.root, hash: sha256))
        }
    }

    @Test("Works under SM3 too, with a different root")
    func guomi() {
        let leaves = Self.leaves.map(hex)
        let sm3Tree = MerkleTree(leaves: leaves, hash: GuomiSuite.shared)
        #expect(sm3Tree.root != MerkleTree(leaves: leaves, hash: sha256).root)
        #expect(sm3Tree.proof(forLeafAt: 6)!.verify(leaf: leaves[6], root: sm3Tree.root, hash: GuomiSuite.shared))
    }
}
