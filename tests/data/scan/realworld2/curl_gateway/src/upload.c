#include <curl/curl.h>
#include "gw_config.h"

int upload(const char *json)
{
	CURL *curl = curl_easy_init();
	CURLcode rc;

	if (!curl)
		return -1;
	curl_easy_setopt(curl, CURLOPT_URL, GW_HUB_URL);
	curl_easy_setopt(curl, CURLOPT_CAINFO, GW_CA_FILE);
	curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, GW_PINNED_KEY);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
	rc = curl_easy_perform(curl);
	curl_easy_cleanup(curl);
	return rc == CURLE_OK ? 0 : -1;
}
