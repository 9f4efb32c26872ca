#if canImport(Glibc)
import Glibc
#endif
import SwiftASN1
import X509

/// Turns the hosts a node is reached at into subjectAltName entries.
///
/// Peers identify each other by the genesis key binding, not by these names;
/// they are there so that operators' tools (`openssl s_client -verify_hostname`,
/// curl) can check a node certificate the usual way.
enum HostNames {
    static let maxDNSNameLength = 253
    static let maxLabelLength = 63

    static func subjectAltName(for host: String) throws(PeerNetworkError) -> GeneralName {
        if let address = ipAddressBytes(host) {
            return .ipAddress(ASN1OctetString(contentBytes: address[...]))
        }
        guard isDNSName(host) else { throw .invalidHost(host) }
        // SAN dNSName matching is case-insensitive; one spelling keeps certificates comparable.
        return .dnsName(host.lowercased())
    }

    /// The 4 or 16 network-order bytes of a textual IPv4/IPv6 address, else nil.
    static func ipAddressBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// RFC 1123 host names: dot-separated labels of letters, digits and
    /// hyphens, no label starting or ending with a hyphen. A name whose last
    /// label is all digits is refused: it is a mistyped IP address, not a name.
    static func isDNSName(_ host: String) -> Bool {
        let bytes = Array(host.utf8)
        guard !bytes.isEmpty, bytes.count <= maxDNSNameLength else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.count <= maxLabelLength else { return false }
            guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            guard label.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        if let last = labels.last, last.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return false
        }
        return true
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }
}
