package mgmt

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
)

func checkRoot(_ [][]byte, verified [][]*x509.Certificate) error {
	for _, chain := range verified {
		root := chain[len(chain)-1]
		digest := sha256.Sum256(root.RawSubjectPublicKeyInfo)
		got := base64.StdEncoding.EncodeToString(digest[:])
		if got == expectedRootKey {
			return nil
		}
	}
	return errors.New("mgmt: unexpected root key")
}

// Config is the management client's TLS configuration.
func Config(host string) *tls.Config {
	return &tls.Config{ServerName: host, VerifyPeerCertificate: checkRoot}
}
