import Foundation
import PeerNetwork
import Testing

@Suite("TLS identity files")
struct TLSIdentityTests {
    let start = certificateStart()

    private func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test("Written files load back; the key file is 0600, the certificate 0644")
    func writeThenLoad() async throws {
        try await withTempDir { dir in
            let ca = try ClusterCA.create(commonName: "CA", notBefore: start, validityDays: 30)
            let key = try genesisNodeKey()
            let node = try ClusterCA.issueNodeCertificate(
                ca: ca, nodeName: "node", genesisNodeKey: key, hosts: ["127.0.0.1"], notBefore: start, validityDays: 7)
            try TLSIdentity.write(ca, certificatePath: "\(dir)/ca.pem", privateKeyPath: "\(dir)/ca.key")
            try TLSIdentity.write(node, certificatePath: "\(dir)/node.pem", privateKeyPath: "\(dir)/node.key")
            #expect(try mode("\(dir)/node.key") == 0o600)
            #expect(try mode("\(dir)/ca.key") == 0o600)
            #expect(try mode("\(dir)/node.pem") == 0o644)
            #expect(try String(contentsOfFile: "\(dir)/node.pem", encoding: .utf8) == node.certificatePEM)
            // No temporary files are left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["ca.key", "ca.pem", "node.key", "node.pem"])

            let identity = try TLSIdentity.load(
                caPath: "\(dir)/ca.pem", certificatePath: "\(dir)/node.pem", privateKeyPath: "\(dir)/node.key")
            #expect(identity.nodeKey == key)

            // Writing again replaces the files.
            let renewed = try ClusterCA.issueNodeCertificate(
                ca: ca, nodeName: "node", genesisNodeKey: key, hosts: ["127.0.0.1"], notBefore: start, validityDays: 8)
            try TLSIdentity.write(renewed, certificatePath: "\(dir)/node.pem", privateKeyPath: "\(dir)/node.key")
            #expect(try String(contentsOfFile: "\(dir)/node.key", encoding: .utf8) == renewed.privateKeyPEM)
        }
    }

    @Test("A key file with mode 0644 is refused, naming the path")
    func openKeyFileRefused() async throws {
        try await withTempDir { dir in
            let ca = try ClusterCA.create(commonName: "CA", notBefore: start, validityDays: 30)
            let node = try ClusterCA.issueNodeCertificate(
                ca: ca, nodeName: "node", genesisNodeKey: try genesisNodeKey(), hosts: ["127.0.0.1"],
                notBefore: start, validityDays: 7)
            try TLSIdentity.write(ca, certificatePath: "\(dir)/ca.pem", privateKeyPath: "\(dir)/ca.key")
            try TLSIdentity.write(node, certificatePath: "\(dir)/node.pem", privateKeyPath: "\(dir)/node.key")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(dir)/node.key")

            let error = #expect(throws: PeerNetworkError.keyFilePermissionsTooOpen(path: "\(dir)/node.key", mode: 0o644)) {
                try TLSIdentity.load(caPath: "\(dir)/ca.pem", certificatePath: "\(dir)/node.pem", privateKeyPath: "\(dir)/node.key")
            }
            #expect(error?.description.contains("\(dir)/node.key") == true)
            #expect(error?.description.contains("0644") == true)

            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: "\(dir)/node.key")
            _ = try TLSIdentity.load(caPath: "\(dir)/ca.pem", certificatePath: "\(dir)/node.pem", privateKeyPath: "\(dir)/node.key")
        }
    }

    @Test("Missing files, and a directory where the key should be, are refused naming the path")
    func unreadableFiles() async throws {
        try await withTempDir { dir in
            let error = #expect(throws: PeerNetworkError.self) {
                try TLSIdentity.load(caPath: "\(dir)/none.pem", certificatePath: "\(dir)/n.pem", privateKeyPath: "\(dir)/n.key")
            }
            #expect(error?.description.contains("\(dir)/none.pem") == true)
            try FileManager.default.createDirectory(atPath: "\(dir)/key-dir", withIntermediateDirectories: false)
            let ca = try ClusterCA.create(commonName: "CA", notBefore: start, validityDays: 30)
            try TLSIdentity.write(ca, certificatePath: "\(dir)/ca.pem", privateKeyPath: "\(dir)/ca.key")
            #expect(throws: PeerNetworkError.file(path: "\(dir)/key-dir", problem: "not a regular file")) {
                try TLSIdentity.load(caPath: "\(dir)/ca.pem", certificatePath: "\(dir)/ca.pem", privateKeyPath: "\(dir)/key-dir")
            }
            let writeError = #expect(throws: PeerNetworkError.self) {
                try TLSIdentity.write(ca, certificatePath: "\(dir)/c.pem", privateKeyPath: "\(dir)/key-dir")
            }
            #expect(writeError?.description.contains("\(dir)/key-dir") == true)
        }
    }

    @Test("Mismatched parts are refused: another CA, another key, a node certificate as CA")
    func mismatches() throws {
        let ca = try ClusterCA.create(commonName: "CA", notBefore: start, validityDays: 30)
        let other = try ClusterCA.create(commonName: "CA", notBefore: start, validityDays: 30)
        let node = try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: "node", genesisNodeKey: try genesisNodeKey(), hosts: ["127.0.0.1"], notBefore: start,
            validityDays: 7)
        let second = try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: "node2", genesisNodeKey: try genesisNodeKey(), hosts: ["127.0.0.1"], notBefore: start,
            validityDays: 7)

        _ = try TLSIdentity(caPEM: ca.certificatePEM, certificatePEM: node.certificatePEM, privateKeyPEM: node.privateKeyPEM)
        #expect(throws: PeerNetworkError.notIssuedByClusterCA) {
            try TLSIdentity(caPEM: other.certificatePEM, certificatePEM: node.certificatePEM, privateKeyPEM: node.privateKeyPEM)
        }
        #expect(throws: PeerNetworkError.keyDoesNotMatchCertificate(what: "node certificate")) {
            try TLSIdentity(caPEM: ca.certificatePEM, certificatePEM: node.certificatePEM, privateKeyPEM: second.privateKeyPEM)
        }
        #expect(throws: PeerNetworkError.notACertificateAuthority(what: "cluster CA certificate")) {
            try TLSIdentity(caPEM: second.certificatePEM, certificatePEM: node.certificatePEM, privateKeyPEM: node.privateKeyPEM)
        }
        #expect(throws: PeerNetworkError.self) {
            try TLSIdentity(caPEM: ca.certificatePEM, certificatePEM: "not PEM", privateKeyPEM: node.privateKeyPEM)
        }
        // A CA certificate carries no binding, so it cannot be a node identity.
        #expect(throws: PeerNetworkError.missingGenesisKeyBinding) {
            try TLSIdentity(caPEM: ca.certificatePEM, certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM)
        }
    }
}
