inspect --at 2026-01-02T00:00:00Z --expiring-within 6m data/digicert_global_root_g2.pem
