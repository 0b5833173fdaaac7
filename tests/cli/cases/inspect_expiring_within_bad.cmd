inspect --expiring-within soon data/baltimore_cybertrust_root.pem
