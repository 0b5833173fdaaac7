#ifndef BG96_AT_H
#define BG96_AT_H
#include <stdbool.h>
#include <stddef.h>

bool at_send(const char *cmd, const char *expect, unsigned timeout_ms);
bool at_wait(const char *prefix, unsigned timeout_ms);
void at_write_raw(const void *data, size_t len);

#endif
