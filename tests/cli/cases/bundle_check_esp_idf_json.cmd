bundle --check data/audit/x509_crt_bundle_legacy --at 2025-06-01 --json
