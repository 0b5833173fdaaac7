package uplink

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
)

// SHA-256 of the issuing CA's certificate
const issuerSHA256 = "fbb7926a451badf516be518614a77e6e325e29819908796d807f59320f918ee2"

func TLSConfig() *tls.Config {
	return &tls.Config{
		ServerName: "fleet-hub.azure-devices.net",
		VerifyPeerCertificate: func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
			for _, raw := range rawCerts[1:] {
				sum := sha256.Sum256(raw)
				if hex.EncodeToString(sum[:]) == issuerSHA256 {
					return nil
				}
			}
			return errors.New("issuer pin mismatch")
		},
	}
}
