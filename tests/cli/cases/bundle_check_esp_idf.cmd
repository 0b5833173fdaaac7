bundle --check data/audit/x509_crt_bundle --at 2025-06-01
