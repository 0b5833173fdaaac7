#ifndef CREDENTIALS_H
#define CREDENTIALS_H

#define ROOT_CA_NAME "AzureRoot"

extern const char AZURE_ROOT_CA[];

#endif
