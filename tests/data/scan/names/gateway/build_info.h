/* Not a pin: a build id passed to printf, and a digest passed to a logging call. */
#define BUILD_ID "3f786850e387550fdab836ed7e6dc881de23001b"
#define IMAGE_SHA256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
static inline void banner(void) { printf("build %s image %s\n", BUILD_ID, IMAGE_SHA256); }
