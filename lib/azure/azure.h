/* azure.h: what lib/azure's files share. */
#ifndef RS_AZURE_H
#define RS_AZURE_H

#include "../internal.h"


#endif
