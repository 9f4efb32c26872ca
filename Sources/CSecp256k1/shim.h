// libsecp256k1 (Debian: libsecp256k1-dev, >= 0.2.0 for SECP256K1_CONTEXT_NONE).
#include <secp256k1.h>
