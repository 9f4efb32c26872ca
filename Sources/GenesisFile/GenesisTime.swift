import LedgerState
import TOMLKit

/// Turns the file's offset date-time into the genesis block's Unix milliseconds.
/// Done by hand rather than through Foundation's calendar so the result cannot
/// depend on the host's time zone or calendar settings.
enum GenesisTime {
    static func millis(_ value: TOMLDateTime) throws(GenesisError) -> UInt64 {
        guard let offset = value.offset else {
            throw .invalidGenesisTime("needs a UTC offset (e.g. 2026-01-01T00:00:00Z); a local time means different instants on different nodes")
        }
        let (date, time) = (value.date, value.time)
        guard time.nanoSecond % 1_000_000 == 0 else {
            throw .invalidGenesisTime("has precision finer than a millisecond, which the block header cannot hold")
        }
        let days = daysFromCivil(year: date.year, month: date.month, day: date.day)
        let seconds = days * 86_400 + time.hour * 3_600 + time.minute * 60 + time.second - offset.offset * 60
        guard seconds >= 0 else { throw .invalidGenesisTime("is before 1970-01-01T00:00:00Z") }
        return UInt64(seconds) * 1_000 + UInt64(time.nanoSecond / 1_000_000)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
    /// Hinnant's `days_from_civil`). TOML dates have 4-digit years, so no overflow.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
