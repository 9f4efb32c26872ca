import Foundation

/// The arguments a tool was started with, after the program name.
///
/// Under some `LD_PRELOAD` libraries (libfaketime, which the chaos campaign
/// uses to move a node's clock) the Swift runtime on Linux starts with an
/// empty `CommandLine.arguments`; the kernel's copy in /proc/self/cmdline is
/// still right, so a tool reads that rather than run with no arguments.
public enum ProcessArguments {
    /// Bound on the bytes read from /proc/self/cmdline (Linux caps argv near 2 MiB).
    static let cmdlineLimit = 4 << 20

    public static var current: [String] {
        if !CommandLine.arguments.isEmpty { return Array(CommandLine.arguments.dropFirst()) }
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/cmdline"),
              let bytes = try? handle.read(upToCount: cmdlineLimit)
        else { return [] }
        try? handle.close()
        return Array(split(cmdline: Array(bytes)).dropFirst())
    }

    /// Splits the NUL-terminated strings of a cmdline file; total on any bytes.
    static func split(cmdline bytes: [UInt8]) -> [String] {
        var parts = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // The last string's terminator leaves one empty part behind.
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
