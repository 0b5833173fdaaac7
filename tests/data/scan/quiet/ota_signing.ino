// OTA updates: the key that checks firmware signatures (not a TLS pin)
static const char sign_key[] PROGMEM = R"KEY(
-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC5GhA4qK1VaRU4GX8PQEOuC+DVCU
cg/xa1YYr6WIOscrhySgEJ4KcmGTximOGvuSIPD+CULB9zf4S/dIurFYZw==
-----END PUBLIC KEY-----
)KEY";
BearSSL::PublicKey signPubKey(sign_key);
BearSSL::SigningVerifier sign(&signPubKey);
