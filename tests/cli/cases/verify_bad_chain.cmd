verify --chain data/forms/truncated.pem --store data/pki/root_g2.pem --at 2025-06-01
