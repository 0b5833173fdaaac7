verify --chain data/pki/leaf.pem --untrusted data/pki/twins_ms2017_first.pem --store data/pki/root_g2.pem --host myhub.azure-devices.net --at 2025-06-01
