#pragma once
extern const char hub_ca_pem[];
