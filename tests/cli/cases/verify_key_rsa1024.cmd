verify --chain data/verify/key_rsa1024.pem --store data/verify/root.pem --at 2026-01-01 --host ok.example.com
