#ifndef TRUST_PATHS_H
#define TRUST_PATHS_H
extern const char bridge_ca_path[];
#endif
