verify --chain data/verify/nc_wildcard_excluded.pem --store data/verify/root.pem --at 2026-01-01 --host bar.example.com
