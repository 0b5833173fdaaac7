audit --at 2026-06-01T00:00:00Z --expiring-within 13w --format json data/g2_ms2017.pem
