verify --chain data/intermediates/microsoft_rsa_tls_ca_2.pem --profile-store old --at 2023-06-01
