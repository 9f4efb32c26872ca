// OpenSSL 3 libcrypto (Debian: libssl-dev). Deprecated 1.x APIs are hidden so
// that nothing in the project can come to depend on them.
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

// Selection masks are nested macros, which Swift cannot import; re-export them.
static const int CIVIC_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;
static const int CIVIC_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;

// OSSL_PARAM_BLD and OSSL_PARAM keep pointers to their key names (they expect
// string literals). Swift's bridged String temporaries die after each call, so
// the names are exported here with static storage.
static const char *const CIVIC_PARAM_GROUP_NAME = OSSL_PKEY_PARAM_GROUP_NAME;
static const char *const CIVIC_PARAM_PUB_KEY = OSSL_PKEY_PARAM_PUB_KEY;
static const char *const CIVIC_PARAM_PRIV_KEY = OSSL_PKEY_PARAM_PRIV_KEY;
static const char *const CIVIC_SM2_GROUP = SN_sm2;
