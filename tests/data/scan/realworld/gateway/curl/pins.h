/* SPKI pins for the cloud endpoint (openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256 | base64) */
#define CLOUD_PINS "sha256//Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=;" \
                   "sha256//ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ="
