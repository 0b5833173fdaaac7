/* libcurl: a pinned public key, a single root file and peer verification off in debug builds. */
#include <curl/curl.h>

int post(CURL *curl, int debug)
{
	curl_easy_setopt(curl, CURLOPT_URL, "https://myhub.azure-devices.net/devices/d1/messages/events");
	curl_easy_setopt(curl, CURLOPT_CAINFO, "/etc/certs/BaltimoreCyberTrustRoot.crt.pem");
	curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, "sha256//NHwusbC7w844JzTmvIRIo8NL7D6StITK9phzFgtJi0w=");
	if (debug)
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
	return curl_easy_perform(curl);
}
