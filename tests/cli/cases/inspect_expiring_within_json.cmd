inspect --at 2025-03-01T00:00:00Z --expiring-within 90d --format json data/baltimore_cybertrust_root.pem
