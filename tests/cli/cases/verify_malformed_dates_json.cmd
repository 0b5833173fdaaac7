verify --chain data/verify/malformed_dates.pem --store data/verify/root.pem --at 2026-01-01 --host ok.example.com --format json
