#ifndef CREDENTIALS_H
#define CREDENTIALS_H

#define CERT_NAME "DeviceCert"

extern const char DEVICE_CERT_PEM[];

#endif
