import CSecp256k1

/// Owns a libsecp256k1 context, randomised once for side-channel blinding.
final class Secp256k1Context: @unchecked Sendable {
    // After creation the context is only passed as `const` to sign, verify, parse
    // and serialise, which libsecp256k1 documents as safe from many threads.
    let pointer: OpaquePointer

    init() {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("secp256k1_context_create failed")
        }
        // Randomisation is a hardening step, not needed for correctness: if the
        // RNG fails here, signing still works, and key generation will fail loudly.
        if let seed = try? Randomness.bytes(32) {
            _ = secp256k1_context_randomize(ctx, seed)
        }
        pointer = ctx
    }

    deinit { secp256k1_context_destroy(pointer) }
}
