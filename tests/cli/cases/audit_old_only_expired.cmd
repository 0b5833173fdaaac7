audit --at 2025-06-01T00:00:00Z data/baltimore_cybertrust_root.pem
