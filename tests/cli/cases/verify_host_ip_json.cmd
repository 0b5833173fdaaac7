verify --chain data/pki/leaf.pem --untrusted data/pki/twins_xsign_first.pem --store data/pki/root_g2.pem --at 2025-06-01 --host 192.0.2.1 --format json
