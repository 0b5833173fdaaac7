scan --at=2026-01-01T00:00:00Z --format json data/scan/realworld2
