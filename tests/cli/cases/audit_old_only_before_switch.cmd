audit --at 2023-01-01T00:00:00Z data/baltimore_cybertrust_root.pem
