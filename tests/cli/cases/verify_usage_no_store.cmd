verify --chain data/pki/leaf.pem
