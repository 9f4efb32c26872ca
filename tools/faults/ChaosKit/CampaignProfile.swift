/// How long a campaign runs and how hard it pushes.
public struct CampaignProfile: Sendable, Codable, Hashable {
    public let name: String
    /// Rounds of faults are scheduled while their estimated time stays within this (always at least one round of every kind).
    public let faultSeconds: Int
    public let holdMillis: ClosedRange<Int>
    /// Pause between a fault's recovery and the next fault.
    public let gapMillis: ClosedRange<Int>
    /// Invoice lifecycles run side by side (each ends in two competing reimbursements).
    public let invoiceWorkers: Int
    /// Licence issues and office registrations per second, besides the invoice workers.
    public let streamPerSecond: Int

    public init(
        name: String, faultSeconds: Int, holdMillis: ClosedRange<Int>, gapMillis: ClosedRange<Int>,
        invoiceWorkers: Int, streamPerSecond: Int
    ) {
        self.name = name
        self.faultSeconds = faultSeconds
        self.holdMillis = holdMillis
        self.gapMillis = gapMillis
        self.invoiceWorkers = invoiceWorkers
        self.streamPerSecond = streamPerSecond
    }

    /// Fits in CI: about 3 minutes of faults, every kind at least once.
    public static let short = CampaignProfile(
        name: "short", faultSeconds: 150, holdMillis: 5_000...9_000, gapMillis: 2_000...4_000, invoiceWorkers: 6,
        streamPerSecond: 20)
    /// Run by hand for the figures in docs/chaos.md.
    public static let long = CampaignProfile(
        name: "long", faultSeconds: 1_200, holdMillis: 5_000...20_000, gapMillis: 2_000...8_000, invoiceWorkers: 8,
        streamPerSecond: 40)

    public static func named(_ name: String) -> CampaignProfile? {
        switch name {
        case "short": return .short
        case "long": return .long
        default: return nil
        }
    }
}
