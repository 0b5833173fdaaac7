#include <curl/curl.h>

int upload(const char *url, const char *body)
{
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (!c)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_CAINFO, "/etc/ssl/certs/ca-certificates.crt");
	rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}
