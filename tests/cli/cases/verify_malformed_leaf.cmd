verify --chain data/verify/malformed_dup_ext.pem --store data/verify/root.pem --at 2026-01-01 --host dup.example.com
