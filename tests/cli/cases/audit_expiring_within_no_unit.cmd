audit --at 2026-01-02T00:00:00Z --expiring-within 90 data/g2_ms2017.pem
