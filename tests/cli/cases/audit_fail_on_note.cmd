audit --fail-on note --at 2026-01-02T00:00:00Z data/g2_ms2017.pem
