package uplink

// Pinned certificates for the hub connection. Hex SHA-256 of the DER
// certificate; base64 SHA-256 of the SubjectPublicKeyInfo.
const (
	issuerCertSHA256 = "9d1bc5d2dd75bf8b64f35e7f919e2546c225be888c1a8cbe82c0e9579234a7ed"
	rootKeyPin       = "Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o="
)

var defaultPort = 8883
