verify --chain data/pki/served_xsign.pem --store data/pki/root_g2.pem --at 2025-06-01 --no-digest sha384
