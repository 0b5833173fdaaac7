verify --chain data/pki/leaf_ec.pem --untrusted data/pki/twins_xsign_first.pem --store data/pki/root_g2.pem --at 2025-06-01 --no-key P-256
