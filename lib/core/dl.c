/* dl.c: libraries opened on first use (dlopen) rather than linked, for the readers that only audit and scan of an
 * archive or an image need (libarchive, libsquashfs, libext2fs; see CMakeLists.txt, rs_runtime_library). */
#include "internal.h"

#if defined(RS_LIBARCHIVE_SONAME) || defined(RS_SQUASHFS_SONAME) || defined(RS_EXT2FS_SONAME)
#include <dlfcn.h>
#include <string.h>

int rs_dl_load(const char *soname, const char *const *names, size_t n, void *slots, size_t slot_size)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL), *sym;
	char *slot = slots;

	if (!h || slot_size != sizeof(sym))
		return h ? (dlclose(h), 0) : 0;
	for (size_t i = 0; i < n; i++) {
		if (!(sym = dlsym(h, names[i]))) {
			dlclose(h);
			return 0;
		}
		/* POSIX: a function's address from dlsym, kept as a function pointer of the same size */
		memcpy(slot + i * slot_size, &sym, sizeof(sym));
	}
	return 1; /* the handle stays open for the life of the process */
}
#endif
