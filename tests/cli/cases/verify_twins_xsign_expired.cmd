verify --chain data/pki/leaf_2026.pem --untrusted data/pki/twins_xsign_first.pem --store data/pki/root_g2.pem --store data/pki/root_ms2017.pem --at 2026-09-01
