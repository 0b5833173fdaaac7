audit --at 2026-01-01T00:00:00Z data/audit/certdata_g2_not_trusted.txt
