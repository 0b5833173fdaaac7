verify --chain data/verify/ok.pem --store data/verify/root.pem --at 2026-01-01 --policy strict
