verify --chain data/intermediates/microsoft_it_tls_ca_1.pem --profile-store old --at 2022-06-01 --no-digest sha1
