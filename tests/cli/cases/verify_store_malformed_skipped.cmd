verify --chain data/verify/ok.pem --store data/verify/store_malformed_and_good.pem --at 2026-01-01 --host ok.example.com
