/* builtin.h: the profiles compiled into the library (builtin_profiles.c is generated from profiles/NAME.json). */
#ifndef RS_CATALOG_BUILTIN_H
#define RS_CATALOG_BUILTIN_H

#include <stddef.h>

struct rs_builtin_profile {
	const char *id;
	const unsigned char *json; /* the profile's JSON without the certificates' "pem" strings */
	size_t len;
	const char *const *pems; /* certificates[i].pem, NULL where it has none (cmake/embed_profiles.cmake) */
	size_t npems;
};

extern const struct rs_builtin_profile rs_builtin_profile_data[];
extern const size_t rs_builtin_profile_count;
extern const char *const rs_builtin_profile_ids[];

#endif
