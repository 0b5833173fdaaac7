#ifndef HUB_CA_H
#define HUB_CA_H
extern const char HUB_CA_PEM[];
#endif
