audit --at 2037-09-01T00:00:00Z --expiring-within 6mo data/g2_ms2017.pem
