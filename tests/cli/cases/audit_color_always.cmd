audit --color=always --at 2026-01-02T00:00:00Z data/digicert_global_root_g2.pem
