import Foundation

/// CPU time and memory of a process, read from /proc/<pid>/stat and
/// /proc/<pid>/status (Linux): what `top` shows, without running it.
struct ProcessSample: Sendable {
    /// utime + stime, in clock ticks.
    let cpuTicks: UInt64
    let rssBytes: UInt64
    /// Peak resident set (VmHWM).
    let peakRSSBytes: UInt64

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// nil when the process is gone or /proc cannot be read.
    init?(pid: Int32) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces): state is field 3,
        // utime and stime fields 14 and 15, so indices 11 and 12 here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        cpuTicks = user + system
        func kilobytes(_ name: String) -> UInt64 {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                return UInt64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
            }
            return 0
        }
        rssBytes = kilobytes("VmRSS") * 1024
        peakRSSBytes = kilobytes("VmHWM") * 1024
    }

    /// CPU used between two samples over `seconds` of wall time, in percent of one core.
    static func cpuPercent(from start: ProcessSample, to end: ProcessSample, seconds: Double) -> Double {
        guard seconds > 0 else { return 0 }
        return Double(end.cpuTicks &- start.cpuTicks) / ticksPerSecond / seconds * 100
    }
}

/// The processes a benchmark watches, by name (node1…, etcd1…, the load generator).
struct ProcessSet: Sendable {
    let names: [String]
    let pids: [Int32]

    func sample() -> [ProcessSample?] { pids.map { ProcessSample(pid: $0) } }

    /// Per process: CPU % over the interval and RSS at its end.
    func usage(from start: [ProcessSample?], to end: [ProcessSample?], seconds: Double) -> [ProcessUsage] {
        zip(names, zip(start, end)).map { name, pair in
            guard let first = pair.0, let last = pair.1 else { return ProcessUsage(name: name, cpuPercent: nil, rssMiB: nil, peakRSSMiB: nil) }
            return ProcessUsage(
                name: name, cpuPercent: ProcessSample.cpuPercent(from: first, to: last, seconds: seconds),
                rssMiB: Double(last.rssBytes) / 1_048_576, peakRSSMiB: Double(last.peakRSSBytes) / 1_048_576)
        }
    }
}

struct ProcessUsage: Codable, Sendable {
    let name: String
    let cpuPercent: Double?
    let rssMiB: Double?
    let peakRSSMiB: Double?

    /// Table cells: whole percent and MiB, "-" when the process was gone.
    var cpuCell: String { cpuPercent.map { String(format: "%.0f", $0) } ?? "-" }
    var rssCell: String { rssMiB.map { String(format: "%.0f", $0) } ?? "-" }
}

/// The 1-, 5- and 15-minute load averages: every figure is quoted with them,
/// since the machine is shared.
enum LoadAverage {
    static func read() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    static var text: String { read().map { String(format: "%.2f", $0) }.joined(separator: " ") }
}
