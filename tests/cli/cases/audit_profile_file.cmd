audit --at 2026-06-01T00:00:00Z --profile ../profiles/azure-ica-2026.json data/digicert_global_root_g2.pem
