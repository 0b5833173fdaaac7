verify --chain data/verify/ok.pem --store data/verify/root.pem --at 2026-01-01 --host ok.example.com --crl data/verify/crl_ica_empty.der --crl data/verify/crl_ica_revokes_ok.pem
