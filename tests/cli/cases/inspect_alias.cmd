inspect --at 2024-01-01T00:00:00Z data/intermediates/microsoft_it_tls_ca_1.pem
