/* UUIDs, a SHA-256 test vector, an AES key and a digest that is not a certificate's. */
#include <stdint.h>
#include <string.h>

static const char *device_uuid = "123e4567-e89b-12d3-a456-426614174000";
static const char *empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char *build_id = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
static const uint8_t aes_key[32] = {0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d,
                                    0x77, 0x81, 0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3,
                                    0x09, 0x14, 0xdf, 0xf4};
#define SSL_VERIFY_NONE 0x00
// never call setInsecure() in production
int mode_is_off(int mode) { return mode == MBEDTLS_SSL_VERIFY_NONE; }
void peer(SSL_CTX *ctx) { SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL); }
int same(const char *a, const char *b) { return strcmp(a, b) == 0; }
