verify --chain data/verify/webpki_no_eku.pem --store data/verify/root.pem --at 2026-01-01 --host ok.example.com --policy rfc5280 --format json
