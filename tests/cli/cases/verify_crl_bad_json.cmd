verify --chain data/verify/ok.pem --store data/verify/root.pem --at 2026-01-01 --host ok.example.com --crl data/verify/crl_ica_bad_signature.pem --format json
