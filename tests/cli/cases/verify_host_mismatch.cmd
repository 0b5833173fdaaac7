verify --chain data/pki/leaf.pem --untrusted data/pki/twins_xsign_first.pem --store data/pki/root_g2.pem --host a.b.azure-devices.net --at 2025-06-01
