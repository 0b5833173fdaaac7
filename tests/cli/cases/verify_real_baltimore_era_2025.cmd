verify --chain data/intermediates/microsoft_rsa_tls_ca_2.pem --store data/certifi-2025.01.31.pem --at 2025-06-01
