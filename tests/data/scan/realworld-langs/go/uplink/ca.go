package uplink

import (
	"crypto/tls"
	"crypto/x509"
	_ "embed"
)

//go:embed certs/hub-ca.pem
var hubCAPEM []byte

// RootPool is the trust store for the AMQP link.
func RootPool() *x509.CertPool {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(hubCAPEM) {
		panic("uplink: bad embedded CA")
	}
	return pool
}

func amqpConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: RootPool()}
}
