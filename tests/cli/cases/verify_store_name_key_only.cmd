verify --at 2025-06-01T00:00:00Z --chain data/intermediates/microsoft_azure_rsa_tls_issuing_ca_07.pem --store data/audit/bearssl_tas.h
