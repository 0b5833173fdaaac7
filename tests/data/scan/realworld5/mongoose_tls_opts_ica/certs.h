#pragma once
extern const char *s_ca_pem;
