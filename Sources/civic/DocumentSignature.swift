import LedgerCore

/// What `civic sign` signs and `civic verify` checks: the document's digest under
/// the document signing domain. Hashing first lets any file size be signed; the
/// domain keeps such a signature from ever passing as a transaction signature.
enum DocumentSignature {
    static func message(forDocumentDigest digest: Digest) -> [UInt8] {
        SigningDomain.document.message(for: digest.bytes)
    }
}
