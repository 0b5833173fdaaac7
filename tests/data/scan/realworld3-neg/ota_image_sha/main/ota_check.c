#include <string.h>
#include "esp_ota_ops.h"
#include "esp_partition.h"
#include "mbedtls/sha256.h"

/* SHA-256 of the approved application image, from the release manifest. */
static const char expected_app_sha256[] = "3f1c9a0d6b2e47f58a9c0e1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4";

bool ota_image_approved(const esp_partition_t *part)
{
    uint8_t sha[32];
    char hex[65];

    esp_partition_get_sha256(part, sha);
    for (int i = 0; i < 32; i++)
        sprintf(&hex[i * 2], "%02x", sha[i]);
    return memcmp(hex, expected_app_sha256, 64) == 0;
}
