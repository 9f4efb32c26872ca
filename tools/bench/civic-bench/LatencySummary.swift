import Histogram

/// Percentiles of one run's latencies, recorded in microseconds in an
/// HdrHistogram (3 significant digits, up to 10 minutes).
struct LatencyRecorder: Sendable {
    var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(microseconds: UInt64) {
        _ = histogram.record(min(max(microseconds, 1), 600_000_000))
    }

    var summary: LatencySummary {
        let count = histogram.totalCount
        func ms(_ percentile: Double) -> Double { count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000 }
        return LatencySummary(
            count: count, meanMillis: count == 0 ? 0 : histogram.mean / 1000, p50Millis: ms(50), p90Millis: ms(90),
            p99Millis: ms(99), p999Millis: ms(99.9), maxMillis: count == 0 ? 0 : Double(histogram.max) / 1000)
    }
}

struct LatencySummary: Codable, Sendable {
    let count: UInt64
    let meanMillis: Double
    let p50Millis: Double
    let p90Millis: Double
    let p99Millis: Double
    let p999Millis: Double
    let maxMillis: Double
}
