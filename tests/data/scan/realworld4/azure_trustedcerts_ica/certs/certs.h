#ifndef CERTS_H
#define CERTS_H

#ifdef __cplusplus
extern "C"
{
#endif

    extern const char hub_ca_pem[];

#ifdef __cplusplus
}
#endif

#endif /* CERTS_H */
