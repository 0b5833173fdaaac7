inspect --at 2025-03-01T00:00:00Z --expiring-within 90d data/forms/three_roots.pem
