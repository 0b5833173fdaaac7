verify --chain data/pki/leaf.pem --store data/pki/root_g2.pem --max-depth x
