package uplink

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
)

// Dial opens the TLS connection to the hub and checks the issuing CA's pin.
func Dial(host string) (*tls.Conn, error) {
	cfg := &tls.Config{
		ServerName: host,
		MinVersion: tls.VersionTLS12,
		VerifyPeerCertificate: func(rawCerts [][]byte, chains [][]*x509.Certificate) error {
			if len(rawCerts) < 2 {
				return fmt.Errorf("uplink: no issuer in chain")
			}
			sum := sha256.Sum256(rawCerts[1])
			if hex.EncodeToString(sum[:]) != issuerCertSHA256 {
				return fmt.Errorf("uplink: issuer pin mismatch")
			}
			return nil
		},
	}
	return tls.Dial("tcp", net.JoinHostPort(host, strconv.Itoa(defaultPort)), cfg)
}

// verifyRootKey is installed on the management connection: the last
// certificate of each verified chain must carry the pinned key.
func verifyRootKey(_ [][]byte, chains [][]*x509.Certificate) error {
	for _, chain := range chains {
		root := chain[len(chain)-1]
		sum := sha256.Sum256(root.RawSubjectPublicKeyInfo)
		if base64.StdEncoding.EncodeToString(sum[:]) == rootKeyPin {
			return nil
		}
	}
	return fmt.Errorf("uplink: root key pin mismatch")
}

func mgmtConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, VerifyPeerCertificate: verifyRootKey}
}
