package uplink

import (
	"crypto/tls"
	"crypto/x509"
	"os"
)

const uplinkCAPath = "/etc/uplink/certs/gw-uplink-ica.pem"

func tlsConfig() (*tls.Config, error) {
	caCert, err := os.ReadFile(uplinkCAPath)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caCert)
	return &tls.Config{RootCAs: pool}, nil
}
