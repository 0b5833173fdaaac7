bundle --check data/g2_ms2017.pem --color never --at 2026-01-02T00:00:00Z
