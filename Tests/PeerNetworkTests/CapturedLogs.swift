import Logging
import Synchronization

/// Log lines kept in memory, so a test can check that a refusal was logged
/// with its reason.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] { lines.withLock { $0 } }

    func contains(level: Logger.Level, _ fragments: String...) -> Bool {
        all.contains { line in
            line.hasPrefix("\(level) ") && fragments.allSatisfy { line.contains($0) }
        }
    }
}

struct CapturingLogHandler: LogHandler {
    let store: CapturedLogs
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("\(event.level) \(event.message) \(rendered)")
    }
}
