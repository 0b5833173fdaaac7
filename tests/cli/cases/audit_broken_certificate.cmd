audit --at 2026-06-01T00:00:00Z data/broken
