#include <string.h>
#include <stdbool.h>

extern const char device_primary_key[];
extern const char device_secondary_key[];

bool key_is_current(const char *stored)
{
    return strcmp(stored, device_primary_key) == 0 || strcmp(stored, device_secondary_key) == 0;
}
