/* dir.c: directory listings in a stable order, for every walk of the library. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* OpenSSL hashed names: 8 hex digits, '.', an optional 'r' (CRLs) and a number. */
static int is_hash_name(const char *name)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!strchr("0123456789abcdef", name[i]) || !name[i])
			return 0;
	if (name[8] != '.')
		return 0;
	name += 9 + (name[9] == 'r');
	if (!*name)
		return 0;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return 0;
	return 1;
}

/* Sorted, with hashed names last: a hashed link is reported by the name of the file it points to. */
static int cmp_names(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int hx = is_hash_name(x), hy = is_hash_name(y);

	return hx != hy ? hx - hy : strcmp(x, y);
}

int rs_list_dir(const char *path, char ***names, size_t *n, struct rs_error *err)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL, **nv;
	size_t cnt = 0;

	if (!d)
		return rs_fail(err, RS_ERR_IO, "cannot open directory '%s': %s", path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (nv)
			v = nv;
		if (!nv || !(v[cnt] = rs_strdup(de->d_name))) {
			while (cnt)
				free(v[--cnt]);
			free(v);
			closedir(d);
			return rs_fail(err, RS_ERR_NOMEM, "out of memory");
		}
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_names);
	*names = v;
	*n = cnt;
	return 0;
}

void rs_free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}
