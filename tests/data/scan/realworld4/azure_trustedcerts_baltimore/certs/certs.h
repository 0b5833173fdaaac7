#ifndef CERTS_H
#define CERTS_H

#ifdef __cplusplus
extern "C"
{
#endif

    extern const char certificates[];

#ifdef __cplusplus
}
#endif

#endif /* CERTS_H */
