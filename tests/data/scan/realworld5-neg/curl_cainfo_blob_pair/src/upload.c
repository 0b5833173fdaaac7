#include <string.h>
#include <curl/curl.h>
#include "hub_ca.h"

int upload_blob(const char *sas_url, const void *data, size_t len)
{
    CURL *curl = curl_easy_init();
    struct curl_blob blob;
    CURLcode res;

    if (!curl)
        return -1;

    blob.data = (void *)HUB_CA_PEM;
    blob.len = strlen(HUB_CA_PEM);
    blob.flags = CURL_BLOB_COPY;

    curl_easy_setopt(curl, CURLOPT_URL, sas_url);
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, data);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
    res = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return res == CURLE_OK ? 0 : -1;
}
