bundle --check data/baltimore_cybertrust_root.pem --at 2026-01-02T00:00:00Z
