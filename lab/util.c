/* util.c: files and paths for the lab. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab.h"

int lab_path(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Writes through a temporary file and renames, so readers never see half a file; private files get 0600. */
int lab_write_file(const char *path, const void *data, size_t len, int private_mode, struct rs_error *err)
{
	char tmp[4200];
	const char *p = data;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, private_mode ? 0600 : 0644);
	if (fd < 0)
		return rs_error_set(err, RS_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	if (private_mode)
		fchmod(fd, 0600);
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return rs_error_set(err, RS_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return rs_error_set(err, RS_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	}
	return 0;
}
