/* rs_test.h: what every cmocka unit test includes. */
#ifndef RS_TEST_H
#define RS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"

#include <jansson.h>

#define DATA(name) RS_TEST_DATA "/" name

/* Loads a path into a fresh list; fails the test on error. */
static inline struct rs_certlist *load_ok(const char *path)
{
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err = { 0 };

	assert_non_null(l);
	if (rs_load_path(l, path, NULL, &err) < 0)
		fail_msg("%s", err.message);
	return l;
}

#endif
