/* file.c: reading whole files with a size limit. */
#include "internal.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, size_t max, const char *path, struct rs_buf *b, struct rs_error *err)
{
	for (;;) {
		ssize_t n;

		if (rs_buf_grow(b, 65536) < 0)
			return rs_fail(err, RS_ERR_NOMEM, "out of memory reading '%s'", path);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rs_fail(err, RS_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		if (b->len > max)
			return rs_fail(err, RS_ERR_LIMIT, "'%s' is larger than %zu bytes", path, max);
	}
}

int rs_read_file(const char *path, size_t max, unsigned char **data, size_t *len, struct rs_error *err)
{
	struct rs_buf b = RS_BUF_INIT;
	struct stat st;
	int fd, rv = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rs_fail(err, RS_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		rs_fail(err, RS_ERR_IO, "cannot stat '%s': %s", path, strerror(errno));
		goto out;
	}
	/* The type and the size are checked before a byte is read: a device (/dev/zero) never ends, and a sparse
	 * file of 2 GB is refused at once (fstat(2)'s st_size for a regular file). Pipes are read with the bound. */
	if (S_ISDIR(st.st_mode)) {
		rs_fail(err, RS_ERR_IO, "'%s' is a directory", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		rs_fail(err, RS_ERR_IO, "'%s' is not a regular file", path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		rs_fail(err, RS_ERR_LIMIT, "'%s' is larger than %zu bytes", path, max);
		goto out;
	}
	if (read_all(fd, max, path, &b, err) < 0)
		goto out;
	*len = b.len;
	*data = (unsigned char *)rs_buf_detach(&b);
	rv = 0;
out:
	rs_buf_release(&b);
	close(fd);
	return rv;
}
