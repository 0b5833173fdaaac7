package update

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"os"
)

const bundleSHA256 = "3b8f2e71c9a04d56e1f7b2c3a9d8e0f1c2b3a4d5e6f708192a3b4c5d6e7f8091"

// CheckBundle verifies the downloaded update bundle against the manifest digest.
func CheckBundle(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != bundleSHA256 {
		return errors.New("update: bundle digest mismatch")
	}
	return nil
}

// Config trusts the system roots and only requires a verified chain.
func Config(host string) *tls.Config {
	return &tls.Config{
		ServerName: host,
		VerifyPeerCertificate: func(_ [][]byte, chains [][]*x509.Certificate) error {
			if len(chains) == 0 {
				return errors.New("update: no verified chain")
			}
			return nil
		},
	}
}
