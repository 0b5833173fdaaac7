verify --chain data/pki/leaf.pem --profile-store newest
