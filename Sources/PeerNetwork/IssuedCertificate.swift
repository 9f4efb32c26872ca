/// PEM text of a certificate and its private key.
///
/// `description` never shows the key, so an `IssuedCertificate` that reaches a
/// log line or an error message leaks nothing.
public struct IssuedCertificate: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let certificatePEM: String
    public let privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    public var description: String { "IssuedCertificate(\(certificatePEM.utf8.count) bytes of certificate PEM, key redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["certificatePEM": certificatePEM], displayStyle: .struct) }
}
