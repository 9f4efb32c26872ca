import Foundation
import Hummingbird
import NodeAPI
import Testing

@Suite("docs/openapi.yaml matches the router")
struct OpenAPIConsistencyTests {
    /// Every (method, path) the router registers is documented, and every
    /// documented operation is registered. The YAML is read as text: paths are
    /// the two-space-indented keys under `paths:`, operations the four-space
    /// HTTP-method keys under them.
    @Test("Every registered route is in openapi.yaml's paths, and vice versa")
    func routesMatch() throws {
        let fixture = try APIFixture()
        let registered = Set(fixture.router().routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = try Self.documentedOperations()
        #expect(!registered.isEmpty)
        #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
        #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
    }

    static func documentedOperations() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if !line.hasPrefix(" ") {
                // A top-level key: `paths:` opens the section, anything else closes it.
                inPaths = line.hasPrefix("paths:")
                currentPath = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces)
                if key.hasSuffix(":"), methods.contains(String(key.dropLast())) {
                    operations.insert("\(key.dropLast().uppercased()) \(path)")
                }
            }
        }
        return operations
    }
}
