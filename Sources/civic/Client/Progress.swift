import CLISupport
import Foundation
import Synchronization

/// "waiting for commit… 2.5 s" on standard error, redrawn in place, shown only
/// on a terminal and only once a wait passes one second; pipes and files get
/// nothing, so scripts and --json output stay clean.
final class Progress: Sendable {
    private let label: String
    private let shown = Atomic<Bool>(false)
    private let enabled: Bool

    init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) == 1
    }

    var update: @Sendable (Duration) -> Void {
        { [self] elapsed in
            guard enabled, elapsed >= .seconds(1) else { return }
            shown.store(true, ordering: .relaxed)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            Console.writeRaw(String(format: "\r%@… %.1f s ", label, seconds), toError: true)
        }
    }

    func finish() {
        if shown.load(ordering: .relaxed) { Console.writeRaw("\r\u{1B}[K", toError: true) }
    }
}
