audit --at 2024-06-01T00:00:00Z data/audit/pinned.pem
