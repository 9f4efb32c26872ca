import Foundation

/// Locates the executables SwiftPM built alongside the test binary, so
/// end-to-end tests run the real programs as child processes.
///
/// Set `CIVIC_BIN_DIR` to use executables from another directory instead.
enum Executables {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        let searched: [String]

        var description: String {
            "executable '\(name)' not found; looked in: \(searched.joined(separator: ", ")). "
                + "Build it first (swift build) or set CIVIC_BIN_DIR to the directory that holds it."
        }
    }

    static func url(named name: String) throws -> URL {
        let directories = searchDirectories()
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
               !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw NotFound(name: name, searched: directories.map(\.path))
    }

    /// With `CIVIC_BIN_DIR` set, only that directory; otherwise the test
    /// binary's directory and a few above it (macOS nests the binary inside
    /// an .xctest bundle, Linux does not).
    static func searchDirectories() -> [URL] {
        if let override = ProcessInfo.processInfo.environment["CIVIC_BIN_DIR"], !override.isEmpty {
            return [URL(fileURLWithPath: override, isDirectory: true)]
        }
        let starts = [CommandLine.arguments.first, Bundle.main.executablePath].compactMap { $0 }
        var directories: [URL] = []
        for start in starts {
            var directory = URL(fileURLWithPath: start).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                if !directories.contains(directory) {
                    directories.append(directory)
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return directories
    }
}
