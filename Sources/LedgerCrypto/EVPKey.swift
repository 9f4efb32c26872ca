import COpenSSL

/// An owned `EVP_PKEY` for one SM2 operation.
final class EVPKey {
    private let pkey: OpaquePointer

    private init(_ pkey: OpaquePointer) { self.pkey = pkey }

    deinit { EVP_PKEY_free(pkey) }

    /// Builds an SM2 key from parts through `EVP_PKEY_fromdata`; a public-only key
    /// when `scalar` is nil.
    static func sm2(scalar: [UInt8]?, publicPoint: [UInt8]) throws(CryptoError) -> EVPKey {
        guard let builder = OSSL_PARAM_BLD_new() else { throw .backend("OSSL_PARAM_BLD_new failed") }
        defer { OSSL_PARAM_BLD_free(builder) }
        var privateBN: OpaquePointer?
        defer { BN_clear_free(privateBN) }
        if let scalar {
            // A secure BIGNUM is wiped when freed, and OSSL_PARAM_BLD then places
            // the parameter copy in secure memory too.
            guard let secure = BN_secure_new() else { throw .backend("BN_secure_new failed") }
            privateBN = BN_bin2bn(scalar, Int32(scalar.count), secure)
            guard privateBN != nil else {
                BN_clear_free(secure)
                throw .backend("BN_bin2bn failed")
            }
        }
        // The builder keeps pointers until to_param copies the values, so the
        // point buffer must outlive that call.
        let params = publicPoint.withUnsafeBytes { point -> UnsafeMutablePointer<OSSL_PARAM>? in
            guard OSSL_PARAM_BLD_push_utf8_string(builder, CIVIC_PARAM_GROUP_NAME, CIVIC_SM2_GROUP, 0) == 1,
                  OSSL_PARAM_BLD_push_octet_string(builder, CIVIC_PARAM_PUB_KEY, point.baseAddress, point.count) == 1,
                  privateBN == nil || OSSL_PARAM_BLD_push_BN(builder, CIVIC_PARAM_PRIV_KEY, privateBN) == 1
            else { return nil }
            return OSSL_PARAM_BLD_to_param(builder)
        }
        guard let params else { throw .backend("building SM2 key parameters failed") }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else {
            throw .backend("OpenSSL has no SM2 key manager")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        let selection = scalar == nil ? CIVIC_EVP_PKEY_PUBLIC_KEY : CIVIC_EVP_PKEY_KEYPAIR
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1, EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1,
              let pkey
        else { throw .backend("EVP_PKEY_fromdata for SM2 failed: \(OpenSSLError.drain())") }
        return EVPKey(pkey)
    }

    /// The SM2 pattern of the OpenSSL manual (SM2(7)): the distinguishing ID is set
    /// on a key context that the digest context then borrows.
    private func withDigestContext<T>(
        digest: OpaquePointer, id: [UInt8], signing: Bool, _ body: (OpaquePointer) -> T?
    ) -> T? {
        guard let pctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { return nil }
        // Declared first so it runs last: the digest context borrows pctx
        // (EVP_MD_CTX_set_pkey_ctx does not transfer ownership) and goes first.
        defer { EVP_PKEY_CTX_free(pctx) }
        guard let mctx = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(mctx) }
        guard EVP_PKEY_CTX_set1_id(pctx, id, Int32(id.count)) == 1 else { return nil }
        EVP_MD_CTX_set_pkey_ctx(mctx, pctx)
        let initialised = signing
            ? EVP_DigestSignInit(mctx, nil, digest, nil, pkey)
            : EVP_DigestVerifyInit(mctx, nil, digest, nil, pkey)
        guard initialised == 1 else { return nil }
        return body(mctx)
    }

    func signSM2(_ message: [UInt8], digest: OpaquePointer, id: [UInt8]) -> [UInt8]? {
        withDigestContext(digest: digest, id: id, signing: true) { mctx in
            let updated = message.withUnsafeBytes { EVP_DigestSignUpdate(mctx, $0.baseAddress, $0.count) }
            guard updated == 1 else { return nil }
            var length = 0
            guard EVP_DigestSignFinal(mctx, nil, &length) == 1, length > 0, length <= 80 else { return nil }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSignFinal(mctx, &signature, &length) == 1 else { return nil }
            return Array(signature.prefix(length))
        }
    }

    func verifySM2(_ signature: [UInt8], message: [UInt8], digest: OpaquePointer, id: [UInt8]) -> Bool {
        withDigestContext(digest: digest, id: id, signing: false) { mctx -> Bool? in
            let updated = message.withUnsafeBytes { EVP_DigestVerifyUpdate(mctx, $0.baseAddress, $0.count) }
            guard updated == 1 else { return nil }
            return EVP_DigestVerifyFinal(mctx, signature, signature.count) == 1
        } ?? false
    }
}
