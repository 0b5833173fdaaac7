inspect --at 2025-06-01T00:00:00Z --format json data/forms/three_roots.p7b
