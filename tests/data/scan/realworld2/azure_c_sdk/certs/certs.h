#ifndef CERTS_H
#define CERTS_H

extern const char certificates[];

#endif
