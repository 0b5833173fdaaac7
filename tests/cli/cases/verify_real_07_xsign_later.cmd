verify --chain data/intermediates/microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem --profile-store new --at 2026-09-01
